;; examples/fractal/l3.wat — the leaves: {:id i :x x} -> {:id i :x x :square x²}.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::core::typealias :fractal::Message :wat::std::HashMap<wat::core::keyword,i64>)

(:wat::core::define (:fractal::l3::answer (request :fractal::Message) -> :fractal::Message)
  (:wat::core::match (:wat::core::tuple (:wat::std::get request :id) (:wat::std::get request :x)) -> :fractal::Message
    (((Some id) (Some x))
      (:wat::std::HashMap :(wat::core::keyword,i64) :id id :x x :square (:wat::core::i64::* x x)))
    (_ (:wat::kernel::assertion-failed! "l3: a request is {:id <i64> :x <i64>}" :None :None))))

(:wat::core::define (:fractal::l3::serve (up :wat::kernel::PeerSender) (down :wat::kernel::PeerReceiver) -> :())
  (:wat::core::match (:wat::kernel::recv down) -> :()
    ((Some request)
      (:wat::core::match (:wat::kernel::send up (:fractal::l3::answer request)) -> :()
        ((Some _) (:fractal::l3::serve up down))
        (:None ())))
    (:None ())))

(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::let* (((up down) (:wat::kernel::parent-peer stdin stdout)))
    (:fractal::l3::serve up down)))
