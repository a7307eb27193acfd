;; wat-tests/std/lang/eval.wat — constrained eval: results, refusals, digests.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::eval::test-eval-ast-ok 1024 :error
  (:wat::test::assert-eq
    (:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::* 6 7)))
    (Ok 42)))

(:wat::test::deftest :wat-tests::std::lang::eval::test-eval-refuses-define 1024 :error
  (:wat::test::assert-eq
    (:wat::core::match (:wat::core::eval-ast! (:wat::core::quote (:wat::core::define (:x -> :i64) 1))) -> :String
      ((Ok _) "ran")
      ((Err e) (:wat::core::EvalError/kind e)))
    "mutation-form-refused"))

(:wat::test::deftest :wat-tests::std::lang::eval::test-eval-edn-last-form 1024 :error
  (:wat::test::assert-eq
    (:wat::core::eval-edn! :wat::eval::string "(:wat::core::i64::+ 1 1) (:wat::core::string::length \"four\")")
    (Ok 4)))

(:wat::test::deftest :wat-tests::std::lang::eval::test-eval-edn-parse-error 1024 :error
  (:wat::test::assert-eq
    (:wat::core::match (:wat::core::eval-edn! :wat::eval::string "(((") -> :String
      ((Ok _) "parsed")
      ((Err e) (:wat::core::EvalError/kind e)))
    "malformed-form"))

;; the sha256 of the bytes (:wat::core::i64::+ 40 2)
(:wat::test::deftest :wat-tests::std::lang::eval::test-eval-digest 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::core::eval-digest! :wat::eval::string "(:wat::core::i64::+ 40 2)"
        :wat::verify::digest-sha256 :wat::verify::string "5369cdf20a161d22eed3c53c2224ca40e625d20916739bb98e32e2e7741df675")
      (:wat::core::match
        (:wat::core::eval-digest! :wat::eval::string "(:wat::core::i64::+ 40 2)"
          :wat::verify::digest-sha256 :wat::verify::string "00") -> :String
        ((Ok _) "ran")
        ((Err e) (:wat::core::EvalError/kind e))))
    (:wat::core::tuple (Ok 42) "verification-failed")))
