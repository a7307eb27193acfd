;; stdlib/service/Console.wat — one thread that owns stdout and stderr.
;;
;; (Console stdout stderr n) makes n client queues and returns a HandlePool
;; of their senders with the driver's ProgramHandle. A client sends
;; (0, text) for stdout or (1, text) for stderr; the driver writes each
;; message whole, so concurrent clients never interleave inside a line. The
;; driver ends when every client's sender is gone (the drop cascade).

(:wat::core::typealias :wat::std::service::Console::Message :(i64,String))
(:wat::core::typealias :wat::std::service::Console::Tx :rust::crossbeam_channel::Sender<wat::std::service::Console::Message>)
(:wat::core::typealias :wat::std::service::Console::Rx :rust::crossbeam_channel::Receiver<wat::std::service::Console::Message>)

(:wat::core::define (:wat::std::service::Console/loop (rxs :Vec<wat::std::service::Console::Rx>) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::if (:wat::core::empty? rxs) -> :()
    ()
    (:wat::core::let* (((which got) (:wat::kernel::select rxs)))
      (:wat::core::match got -> :()
        ((Some message)
          (:wat::core::let* (((tag text) message)
                             ((_ :i64) (:wat::io::IOWriter/write-string
                                         (:wat::core::if (:wat::core::= tag 0) -> :wat::io::IOWriter stdout stderr)
                                         text)))
            (:wat::std::service::Console/loop rxs stdout stderr)))
        ;; that client is gone: stop listening to it
        (:None (:wat::std::service::Console/loop (:wat::std::list::remove-at rxs which) stdout stderr))))))

(:wat::core::define (:wat::std::service::Console/out (handle :wat::std::service::Console::Tx) (msg :String) -> :())
  (:wat::core::match (:wat::kernel::send handle (:wat::core::tuple 0 msg)) -> :() ((Some _) ()) (:None ())))

(:wat::core::define (:wat::std::service::Console/err (handle :wat::std::service::Console::Tx) (msg :String) -> :())
  (:wat::core::match (:wat::kernel::send handle (:wat::core::tuple 1 msg)) -> :() ((Some _) ()) (:None ())))

(:wat::core::define (:wat::std::service::Console (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) (count :i64)
    -> :(wat::kernel::HandlePool<wat::std::service::Console::Tx>,wat::kernel::ProgramHandle<()>))
  (:wat::core::let* (((queues :Vec<(wat::std::service::Console::Tx,wat::std::service::Console::Rx)>)
                      (:wat::core::map (:wat::core::range 0 count)
                        (:wat::core::lambda ((_i :i64) -> :(wat::std::service::Console::Tx,wat::std::service::Console::Rx))
                          (:wat::kernel::make-bounded-queue :wat::std::service::Console::Message 1)))))
    (:wat::core::tuple
      (:wat::kernel::HandlePool::new "Console" (:wat::core::map queues :wat::core::first))
      (:wat::kernel::spawn :wat::std::service::Console/loop (:wat::core::map queues :wat::core::second) stdout stderr))))
