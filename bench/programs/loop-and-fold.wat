;; A 3,000,000-step tail-recursive loop plus a fold over a 200,000-element range
;; (the reference's `wat`: 1.41 s, whole process).
(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)
(:wat::core::define (:bench::count (n :i64) (acc :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 acc
    (:bench::count (:wat::core::i64::- n 1) (:wat::core::i64::+ acc 1))))
(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
  (:wat::core::let* (((a :i64) (:bench::count 3000000 0))
                     ((b :i64) (:wat::core::foldl (:wat::core::range 0 200000) 0
                                 (:wat::core::lambda ((s :i64) (x :i64) -> :i64) (:wat::core::i64::+ s x)))))
    (:wat::core::if (:wat::core::= (:wat::core::i64::+ a b) 20002900000) -> :()
      (:wat::io::IOWriter/println stdout "ok")
      (:wat::io::IOWriter/println stdout "wrong"))))
