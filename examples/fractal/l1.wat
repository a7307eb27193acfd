;; examples/fractal/l1.wat — the root: run it with `wat` in a shell pipeline.
;; Reads {:id i :x x} requests from stdin, fans them out to three l2 servers
;; (request i goes to server i mod 3), and writes each reply to stdout, with
;; :via set to the server that carried it, in the order replies arrive.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::core::typealias :fractal::Message :wat::std::HashMap<wat::core::keyword,i64>)
(:wat::core::typealias :fractal::Server :(wat::kernel::PeerSender,wat::kernel::PeerReceiver,wat::kernel::ChildHandle))

(:wat::core::define (:fractal::l1::start -> :fractal::Server)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process-file "l2.wat")))
    (:wat::core::tuple (:wat::kernel::Process/tx p) (:wat::kernel::Process/rx p) (:wat::kernel::Process/handle p))))

(:wat::core::define (:fractal::l1::stamp (reply :fractal::Message) (via :i64) -> :fractal::Message)
  (:wat::core::match (:wat::core::tuple (:wat::std::get reply :id) (:wat::std::get reply :x)
                                        (:wat::std::get reply :square) (:wat::std::get reply :plus1)) -> :fractal::Message
    (((Some id) (Some x) (Some square) (Some plus1))
      (:wat::std::HashMap :(wat::core::keyword,i64) :id id :x x :square square :plus1 plus1 :via via))
    (_ (:wat::kernel::assertion-failed! "l1: l2 answered something that is not {:id :x :square :plus1}" :None :None))))

;; One server's replies to our stdout, until it closes its stdout; returns how many.
(:wat::core::define (:fractal::l1::relay (from :wat::kernel::PeerReceiver) (out :wat::kernel::PeerSender) (via :i64) (n :i64) -> :i64)
  (:wat::core::match (:wat::kernel::recv from) -> :i64
    ((Some reply)
      (:wat::core::match (:wat::kernel::send out (:fractal::l1::stamp reply via)) -> :i64
        ((Some _) (:fractal::l1::relay from out via (:wat::core::i64::+ n 1)))
        (:None n)))
    (:None n)
    ((Err failure) (:wat::kernel::assertion-failed! (:wat::kernel::Failure/message failure) :None :None))))

(:wat::core::define (:fractal::l1::pick (id :i64) (a :wat::kernel::PeerSender) (b :wat::kernel::PeerSender) (c :wat::kernel::PeerSender)
    -> :wat::kernel::PeerSender)
  (:wat::core::let* (((k :i64) (:wat::core::i64::- id (:wat::core::i64::* 3 (:wat::core::i64::/ id 3)))))
    (:wat::core::if (:wat::core::= k 0) -> :wat::kernel::PeerSender a
      (:wat::core::if (:wat::core::= k 1) -> :wat::kernel::PeerSender b c))))

;; Requests from our stdin to the servers, until stdin ends.
(:wat::core::define (:fractal::l1::route (in :wat::kernel::PeerReceiver)
    (a :wat::kernel::PeerSender) (b :wat::kernel::PeerSender) (c :wat::kernel::PeerSender) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some request)
      (:wat::core::match (:wat::std::get request :id) -> :()
        ((Some id)
          (:wat::core::match (:wat::kernel::send (:fractal::l1::pick id a b c) request) -> :()
            ((Some _) (:fractal::l1::route in a b c))
            (:None (:wat::kernel::assertion-failed! "l1: a server stopped reading" :None :None))))
        (:None (:wat::kernel::assertion-failed! "l1: a request needs an :id" :None :None))))
    (:None ())))

;; Start the servers and their relays, route all of stdin. The senders to
;; the servers live only in this frame: when it returns, their stdin closes
;; and the cascade of endings begins.
(:wat::core::define (:fractal::l1::serve (in :wat::kernel::PeerReceiver) (out :wat::kernel::PeerSender)
    -> :(Vec<wat::kernel::ProgramHandle<i64>>,Vec<wat::kernel::ChildHandle>))
  (:wat::core::let* (((a :fractal::Server) (:fractal::l1::start))
                     ((b :fractal::Server) (:fractal::l1::start))
                     ((c :fractal::Server) (:fractal::l1::start))
                     ((relays :Vec<wat::kernel::ProgramHandle<i64>>)
                      (:wat::core::vec :wat::kernel::ProgramHandle<i64>
                        (:wat::kernel::spawn :fractal::l1::relay (:wat::core::second a) out 0 0)
                        (:wat::kernel::spawn :fractal::l1::relay (:wat::core::second b) out 1 0)
                        (:wat::kernel::spawn :fractal::l1::relay (:wat::core::second c) out 2 0)))
                     ((_ :()) (:fractal::l1::route in (:wat::core::first a) (:wat::core::first b) (:wat::core::first c))))
    (:wat::core::tuple relays
      (:wat::core::vec :wat::kernel::ChildHandle (:wat::core::third a) (:wat::core::third b) (:wat::core::third c)))))

(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::let* (((out in) (:wat::kernel::parent-peer stdin stdout))
                     ((relays children) (:fractal::l1::serve in out))
                     ((_ :Vec<i64>) (:wat::core::map relays (:wat::core::lambda ((h :wat::kernel::ProgramHandle<i64>) -> :i64) (:wat::kernel::join h))))
                     ((codes :Vec<i64>) (:wat::core::map children (:wat::core::lambda ((h :wat::kernel::ChildHandle) -> :i64) (:wat::kernel::wait-child h)))))
    (:wat::core::if (:wat::core::= codes (:wat::core::vec :i64 0 0 0)) -> :()
      ()
      (:wat::kernel::assertion-failed! "l1: a server did not exit cleanly" (Some (:wat::edn::write codes)) (Some "[0 0 0]")))))
