;; examples/calc.wat — a pipeline stage: one EDN request per stdin line, one
;; EDN reply per stdout line.
;;
;;   $ echo '{:op :add :a 1 :b 2}' | wat examples/calc.wat
;;   {:result 3}
;;
;; Ops: :add :sub :mul :div on i64 operands :a and :b. A request it cannot
;; answer gets {:error "..."} and the stage goes on with the next line.
;; It talks through (:wat::kernel::parent-peer stdin stdout) — the same peer
;; a server started by :wat::kernel::spawn-process uses to talk to its parent,
;; so this file also runs, unchanged, as a server of another wat program.
;; (:wat::edn::Value in annotations stands for "whatever EDN held"; the
;; runtime does not check annotations.)

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::core::typealias :calc::Message :wat::std::HashMap<wat::core::keyword,wat::edn::Value>)

(:wat::core::define (:calc::error (text :String) -> :calc::Message)
  (:wat::std::HashMap :(wat::core::keyword,String) :error text))

(:wat::core::define (:calc::apply (op :wat::core::keyword) (a :i64) (b :i64) -> :calc::Message)
  (:wat::core::if (:wat::core::= op :add) -> :calc::Message
    (:wat::std::HashMap :(wat::core::keyword,i64) :result (:wat::core::i64::+ a b))
    (:wat::core::if (:wat::core::= op :sub) -> :calc::Message
      (:wat::std::HashMap :(wat::core::keyword,i64) :result (:wat::core::i64::- a b))
      (:wat::core::if (:wat::core::= op :mul) -> :calc::Message
        (:wat::std::HashMap :(wat::core::keyword,i64) :result (:wat::core::i64::* a b))
        (:wat::core::if (:wat::core::= op :div) -> :calc::Message
          (:wat::core::if (:wat::core::= b 0) -> :calc::Message
            (:calc::error "division by zero")
            (:wat::std::HashMap :(wat::core::keyword,i64) :result (:wat::core::i64::/ a b)))
          (:calc::error (:wat::core::string::join "" (:wat::core::vec :String "unknown op " (:wat::edn::write op)))))))))

(:wat::core::define (:calc::answer (request :calc::Message) -> :calc::Message)
  (:wat::core::match (:wat::core::tuple (:wat::std::get request :op) (:wat::std::get request :a) (:wat::std::get request :b)) -> :calc::Message
    (((Some op) (Some a) (Some b)) (:calc::apply op a b))
    (_ (:calc::error "a request is {:op :add|:sub|:mul|:div :a <i64> :b <i64>}"))))

(:wat::core::define (:calc::serve (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) -> :())
  (:wat::core::match (:wat::kernel::recv rx) -> :()
    ((Some request)
      (:wat::core::match (:wat::kernel::send tx (:calc::answer request)) -> :()
        ((Some _) (:calc::serve tx rx))
        ;; nobody reads our replies any more
        (:None ())))
    (:None ())))

(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout)))
    (:calc::serve tx rx)))
