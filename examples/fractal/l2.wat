;; examples/fractal/l2.wat — the middle: a server of l1 with a server of its own.
;; Requests go down to l3 unchanged; replies come back up with :plus1 added.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::core::typealias :fractal::Message :wat::std::HashMap<wat::core::keyword,i64>)

(:wat::core::define (:fractal::l2::enrich (reply :fractal::Message) -> :fractal::Message)
  (:wat::core::match (:wat::core::tuple (:wat::std::get reply :id) (:wat::std::get reply :x) (:wat::std::get reply :square)) -> :fractal::Message
    (((Some id) (Some x) (Some square))
      (:wat::std::HashMap :(wat::core::keyword,i64) :id id :x x :square square :plus1 (:wat::core::i64::+ square 1)))
    (_ (:wat::kernel::assertion-failed! "l2: l3 answered something that is not {:id :x :square}" :None :None))))

;; l3's replies, enriched, to our parent — until l3 closes its stdout.
(:wat::core::define (:fractal::l2::relay (from-l3 :wat::kernel::PeerReceiver) (up :wat::kernel::PeerSender) -> :())
  (:wat::core::match (:wat::kernel::recv from-l3) -> :()
    ((Some reply)
      (:wat::core::match (:wat::kernel::send up (:fractal::l2::enrich reply)) -> :()
        ((Some _) (:fractal::l2::relay from-l3 up))
        (:None ())))
    (:None ())
    ((Err failure) (:wat::kernel::assertion-failed! (:wat::kernel::Failure/message failure) :None :None))))

;; Our parent's requests, down to l3 — until our parent closes our stdin.
(:wat::core::define (:fractal::l2::forward (down :wat::kernel::PeerReceiver) (to-l3 :wat::kernel::PeerSender) -> :())
  (:wat::core::match (:wat::kernel::recv down) -> :()
    ((Some request)
      (:wat::core::match (:wat::kernel::send to-l3 request) -> :()
        ((Some _) (:fractal::l2::forward down to-l3))
        (:None ())))
    (:None ())))

;; Start l3 and the relay; forward until our input ends. The sender to l3
;; lives only in this frame: when it returns, l3's stdin closes.
(:wat::core::define (:fractal::l2::serve (up :wat::kernel::PeerSender) (down :wat::kernel::PeerReceiver)
    -> :(wat::kernel::ProgramHandle<()>,wat::kernel::ChildHandle))
  (:wat::core::let* (((l3 :wat::kernel::Process) (:wat::kernel::spawn-process-file "l3.wat"))
                     ((relay :wat::kernel::ProgramHandle<()>)
                      (:wat::kernel::spawn :fractal::l2::relay (:wat::kernel::Process/rx l3) up))
                     ((_ :()) (:fractal::l2::forward down (:wat::kernel::Process/tx l3))))
    (:wat::core::tuple relay (:wat::kernel::Process/handle l3))))

(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::let* (((up down) (:wat::kernel::parent-peer stdin stdout))
                     ((relay l3) (:fractal::l2::serve up down))
                     ((_ :()) (:wat::kernel::join relay))
                     ((code :i64) (:wat::kernel::wait-child l3)))
    (:wat::core::if (:wat::core::= code 0) -> :()
      ()
      (:wat::kernel::assertion-failed! "l2: l3 did not exit cleanly" (Some (:wat::edn::write code)) (Some "0")))))
