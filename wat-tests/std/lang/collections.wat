;; wat-tests/std/lang/collections.wat — Vec, tuple and list primitives.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::collections::test-positional 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::core::first (:wat::core::vec :i64 10 20 30))
      (:wat::core::second (:wat::core::tuple "a" 2))
      (:wat::core::third (:wat::core::vec :i64 10 20 30)))
    (:wat::core::tuple 10 2 30)))

(:wat::test::deftest :wat-tests::std::lang::collections::test-first-of-empty-fails 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::core::let* (((x :i64) (:wat::core::first (:wat::core::vec :i64)))) ())))
        (:wat::core::vec :String))))
    (:wat::test::assert-contains
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :String
        ((Some f) (:wat::kernel::Failure/message f))
        (:None ""))
      "no element at index 0")))

(:wat::test::deftest :wat-tests::std::lang::collections::test-take-drop-clamp 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :Vec<i64>
      (:wat::core::take (:wat::core::vec :i64 1 2 3) 9)
      (:wat::core::take (:wat::core::vec :i64 1 2 3) -1)
      (:wat::core::drop (:wat::core::vec :i64 1 2 3) 2)
      (:wat::core::drop (:wat::core::vec :i64 1 2 3) 7))
    (:wat::core::vec :Vec<i64>
      (:wat::core::vec :i64 1 2 3)
      (:wat::core::vec :i64)
      (:wat::core::vec :i64 3)
      (:wat::core::vec :i64))))

(:wat::test::deftest :wat-tests::std::lang::collections::test-rest-reverse-conj-range 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::core::rest (:wat::core::range 0 4))
      (:wat::core::reverse (:wat::core::range 0 4))
      (:wat::core::conj (:wat::core::range 0 2) 9)
      (:wat::core::length (:wat::core::range 3 3))
      (:wat::core::empty? (:wat::core::range 3 3)))
    (:wat::core::tuple
      (:wat::core::vec :i64 1 2 3)
      (:wat::core::vec :i64 3 2 1 0)
      (:wat::core::vec :i64 0 1 9)
      0
      true)))

(:wat::test::deftest :wat-tests::std::lang::collections::test-folds-keep-order 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::core::foldl (:wat::core::vec :String "a" "b" "c") ""
        (:wat::core::lambda ((acc :String) (s :String) -> :String)
          (:wat::core::string::join "" (:wat::core::vec :String acc s))))
      (:wat::core::foldr (:wat::core::vec :String "a" "b" "c") ""
        (:wat::core::lambda ((s :String) (acc :String) -> :String)
          (:wat::core::string::join "" (:wat::core::vec :String acc s)))))
    (:wat::core::tuple "abc" "cba")))

(:wat::test::deftest :wat-tests::std::lang::collections::test-list-helpers 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::std::list::zip (:wat::core::vec :i64 1 2 3) (:wat::core::vec :String "x" "y"))
      (:wat::std::list::window (:wat::core::vec :i64 1 2 3) 2)
      (:wat::std::list::remove-at (:wat::core::vec :i64 1 2 3) 0)
      (:wat::std::list::remove-at (:wat::core::vec :i64 1 2 3) 5)
      (:wat::std::list::map-with-index (:wat::core::vec :i64 5 5 5)
        (:wat::core::lambda ((x :i64) (i :i64) -> :i64) (:wat::core::i64::* x i))))
    (:wat::core::tuple
      (:wat::core::vec :(i64,String) (:wat::core::tuple 1 "x") (:wat::core::tuple 2 "y"))
      (:wat::core::vec :Vec<i64> (:wat::core::vec :i64 1 2) (:wat::core::vec :i64 2 3))
      (:wat::core::vec :i64 2 3)
      (:wat::core::vec :i64 1 2 3)
      (:wat::core::vec :i64 0 5 10))))
