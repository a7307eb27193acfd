;; wat-tests/std/test.wat — our harness tested in itself.
;;
;; Each assertion gets a passing use and a failing use; a failing use runs in
;; an inner sandbox (run-ast) so that the outer test can look at the Failure
;; it produced instead of failing itself.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

;; A deftest body runs as :user::main of a fresh sandboxed program, so it
;; sees the stdlib but not this file's defines: each test is self-contained.

;; ─── assert-eq ─────────────────────────────────────────────────────────

(:wat::test::deftest :wat-tests::std::test::test-assert-eq-i64 1024 :error
  (:wat::test::assert-eq (:wat::core::i64::- 100 58) 42))

(:wat::test::deftest :wat-tests::std::test::test-assert-eq-nested-vec 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :Vec<i64> (:wat::core::vec :i64 1 2) (:wat::core::vec :i64 3))
    (:wat::core::conj (:wat::core::vec :Vec<i64> (:wat::core::vec :i64 1 2)) (:wat::core::vec :i64 3))))

(:wat::test::deftest :wat-tests::std::test::test-assert-eq-option 1024 :error
  (:wat::test::assert-eq (Some "x") (Some "x")))

(:wat::test::deftest :wat-tests::std::test::test-assert-eq-mismatch-fails 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::test::assert-eq "left" "right")))
        (:wat::core::vec :String))))
    (:wat::test::assert-eq
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :String
      ((Some f) (:wat::kernel::Failure/message f))
      (:None ""))
      "assert-eq failed")))

;; ─── assert-contains ───────────────────────────────────────────────────

(:wat::test::deftest :wat-tests::std::test::test-assert-contains-finds 1024 :error
  (:wat::test::assert-contains "copy-on-write" "on-w"))

(:wat::test::deftest :wat-tests::std::test::test-assert-contains-reports-both-sides 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::test::assert-contains "haystack" "needle")))
        (:wat::core::vec :String)))
     ((f :wat::kernel::Failure)
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :wat::kernel::Failure
        ((Some f) f)
        (:None (:wat::kernel::assertion-failed! "the inner program should have failed" :None :None)))))
    (:wat::test::assert-eq
      (:wat::core::tuple
        (:wat::kernel::Failure/message f)
        (:wat::kernel::Failure/actual f)
        (:wat::kernel::Failure/expected f))
      (:wat::core::tuple "assert-contains failed" (Some "haystack") (Some "needle")))))

;; ─── assert-stdout-is / assert-stderr-matches ──────────────────────────

(:wat::test::deftest :wat-tests::std::test::test-stdout-lines-in-order 1024 :error
  (:wat::test::assert-stdout-is
    (:wat::test::run-ast
      (:wat::test::program
        (:wat::config::set-dims! 1024)
        (:wat::config::set-capacity-mode! :error)
        (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
          (:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "one"))
                             ((_ :()) (:wat::io::IOWriter/print stdout "two\nthree\n")))
            ())))
      (:wat::core::vec :String))
    (:wat::core::vec :String "one" "two" "three")))

(:wat::test::deftest :wat-tests::std::test::test-stdout-mismatch-shows-joined-lines 1024 :error
  (:wat::core::let*
    (((outer :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::test::assert-stdout-is
              (:wat::test::run-ast
                (:wat::test::program
                  (:wat::config::set-dims! 1024)
                  (:wat::config::set-capacity-mode! :error)
                  (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
                    (:wat::io::IOWriter/println stdout "a")))
                (:wat::core::vec :String))
              (:wat::core::vec :String "a" "b"))))
        (:wat::core::vec :String))))
    (:wat::core::match (:wat::kernel::RunResult/failure outer) -> :()
      ((Some f) (:wat::test::assert-eq (:wat::kernel::Failure/expected f) (Some "a\nb")))
      (:None (:wat::kernel::assertion-failed! "assert-stdout-is should have failed" :None :None)))))

(:wat::test::deftest :wat-tests::std::test::test-stderr-regex 1024 :error
  (:wat::test::assert-stderr-matches
    (:wat::test::run-ast
      (:wat::test::program
        (:wat::config::set-dims! 1024)
        (:wat::config::set-capacity-mode! :error)
        (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
          (:wat::io::IOWriter/println stderr "warning: 3 retries left")))
      (:wat::core::vec :String))
    "[0-9]+ retries"))

;; ─── run (string entry) and stdin ──────────────────────────────────────

(:wat::test::deftest :wat-tests::std::test::test-run-string-echoes-stdin 1024 :error
  (:wat::test::assert-stdout-is
    (:wat::test::run
      "(:wat::config::set-dims! 1024)
       (:wat::config::set-capacity-mode! :error)
       (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
         (:wat::core::match (:wat::io::IOReader/read-line stdin) -> :()
           ((Some line) (:wat::io::IOWriter/println stdout line))
           (:None (:wat::io::IOWriter/println stdout \"eof\"))))"
      (:wat::core::vec :String "first line" "second line"))
    (:wat::core::vec :String "first line")))

(:wat::test::deftest :wat-tests::std::test::test-run-reports-startup-errors 1024 :error
  (:wat::core::let* (((r :wat::kernel::RunResult) (:wat::test::run "(:wat::core::define" (:wat::core::vec :String))))
    (:wat::test::assert-contains
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :String
      ((Some f) (:wat::kernel::Failure/message f))
      (:None ""))
      "startup")))

(:wat::test::deftest :wat-tests::std::test::test-main-signature-is-checked 1024 :error
  (:wat::test::assert-contains
    (:wat::core::match (:wat::kernel::RunResult/failure
        (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main -> :()) ()))
        (:wat::core::vec :String)))
      -> :String
      ((Some f) (:wat::kernel::Failure/message f))
      (:None ""))
    ":user::main"))

;; ─── program / forms ───────────────────────────────────────────────────

(:wat::test::deftest :wat-tests::std::test::test-program-is-forms 1024 :error
  (:wat::test::assert-eq
    (:wat::core::length (:wat::test::program (:a::b 1) (:c::d 2) (:e::f 3)))
    3))

(:wat::test::deftest :wat-tests::std::test::test-runtime-error-is-caught 1024 :error
  (:wat::test::assert-contains
    (:wat::core::match (:wat::kernel::RunResult/failure
        (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::test::assert-eq (:wat::core::i64::/ 1 0) 0)))
        (:wat::core::vec :String)))
      -> :String
      ((Some f) (:wat::kernel::Failure/message f))
      (:None ""))
    "division by zero"))
