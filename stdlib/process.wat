;; stdlib/process.wat — wat programs as servers of other wat programs.
;;
;; (:wat::kernel::spawn-process forms) or (:wat::kernel::spawn-process-file
;; "server.wat") forks a wat program with three pipes of its own as its
;; stdin, stdout and stderr, in its own session, killed if this process dies.
;; The parent gets a :wat::kernel::Process:
;;
;;   handle  :wat::kernel::ChildHandle   wait-child, kill-child; dropped unwaited -> SIGKILL + reap
;;   tx      :wat::kernel::PeerSender    send a value to the server (its stdin)
;;   rx      :wat::kernel::PeerReceiver  recv the server's values (its stdout)
;;   stderr  :wat::io::IOReader          the server's stderr (drain it if it writes much)
;;
;; tx and rx take the queue verbs — (:wat::kernel::send tx v),
;; (:wat::kernel::recv rx), (:wat::kernel::try-recv rx) — carrying one EDN
;; value per line (runtime/fork/edn.ts has the mapping). recv answers
;; (Some v), :None once the server closed its stdout (it ended, or dropped
;; its sender), or (Err failure) with a :wat::kernel::Failure when the
;; server failed: a panic, a runtime error, a startup error or a bad
;; :user::main, each with the reference's message prefix. Only data crosses:
;; sending a queue end, a handle, an IO value or a function is a runtime
;; error naming what and why.
;;
;; Inside the server — or in any program, e.g. one run by `wat` in a shell
;; pipeline — (:wat::kernel::parent-peer stdin stdout) gives the other end:
;; a (PeerSender, PeerReceiver) pair over its own stdin and stdout.
;;
;; send parks its thread while the pipe is full (backpressure); wrap a
;; sender with (:wat::kernel::lock-step tx) and each send also waits until
;; the other side's recv has taken the value (capacity 1, lock-step).
;; Dropping a sender closes the pipe, so the other side's recv answers
;; :None: the drop cascade works across processes as it does across threads.
;; A server can spawn servers of its own.

(:wat::core::struct :wat::kernel::Process
  (handle :wat::kernel::ChildHandle)
  (tx :wat::kernel::PeerSender)
  (rx :wat::kernel::PeerReceiver)
  (stderr :wat::io::IOReader))
