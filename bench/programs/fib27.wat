;; Naive fib(27), as the reference was timed on (0.27 s for its `wat`, whole process).
(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)
(:wat::core::define (:bench::fib (n :i64) -> :i64)
  (:wat::core::if (:wat::core::< n 2) -> :i64 n
    (:wat::core::i64::+ (:bench::fib (:wat::core::i64::- n 1)) (:bench::fib (:wat::core::i64::- n 2)))))
(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::if (:wat::core::= (:bench::fib 27) 196418) -> :() (:wat::io::IOWriter/println stdout "ok") (:wat::io::IOWriter/println stdout "wrong"))
  )
