;; wat-tests/std/lang/compare.wat — equality and ordering.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::compare::test-structural-equality 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::core::= (:wat::core::tuple 1 (Some "x")) (:wat::core::tuple 1 (Some "x")))
      (:wat::core::= (Ok (:wat::core::vec :i64 1)) (Ok (:wat::core::vec :i64 1)))
      (:wat::core::= (Ok 1) (Err 1))
      (:wat::core::= :a::b :a::b))
    (:wat::core::vec :bool true true false true)))

(:wat::test::deftest :wat-tests::std::lang::compare::test-mixed-kinds-are-an-error 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run
        "(:wat::config::set-dims! 1024)
         (:wat::config::set-capacity-mode! :error)
         (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
           (:wat::core::if (:wat::core::= 1 \"1\") -> :() () ()))"
        (:wat::core::vec :String))))
    (:wat::test::assert-contains
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :String
        ((Some f) (:wat::kernel::Failure/message f))
        (:None ""))
      "got i64 and String")))

(:wat::test::deftest :wat-tests::std::lang::compare::test-orderings 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::core::< 1 1.5)
      (:wat::core::< false true)
      (:wat::core::< "apple" "banana")
      (:wat::core::>= 2 2)
      (:wat::core::> (:wat::core::u8 9) (:wat::core::u8 10)))
    (:wat::core::vec :bool true true true true false)))
