;; wat-tests/std/lang/strings.wat — string ops and Rust-syntax regexes.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::strings::test-split-join-round-trip 1024 :error
  (:wat::test::assert-eq
    (:wat::core::string::join "," (:wat::core::string::split "a,,b," ","))
    "a,,b,"))

(:wat::test::deftest :wat-tests::std::lang::strings::test-length-trim 1024 :error
  (:wat::test::assert-eq
    (:wat::core::tuple
      (:wat::core::string::length "naïve")
      (:wat::core::string::trim "\t padded \n"))
    (:wat::core::tuple 5 "padded")))

(:wat::test::deftest :wat-tests::std::lang::strings::test-predicates 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::core::string::contains? "haystack" "st")
      (:wat::core::string::starts-with? "haystack" "hay")
      (:wat::core::string::ends-with? "haystack" "hay"))
    (:wat::core::vec :bool true true false)))

(:wat::test::deftest :wat-tests::std::lang::strings::test-regex-rust-syntax 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::core::regex::matches? "(?i)^error: \\d+" "ERROR: 42 things")
      (:wat::core::regex::matches? "(?P<word>\\w+)@" "naïve@host")
      (:wat::core::regex::matches? "^a.c$" "a\rc")
      (:wat::core::regex::matches? "\\Afoo\\z" "foo\n"))
    (:wat::core::vec :bool true true true false)))

(:wat::test::deftest :wat-tests::std::lang::strings::test-split-empty-separator-fails 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::core::let* (((xs :Vec<String>) (:wat::core::string::split "abc" ""))) ())))
        (:wat::core::vec :String))))
    (:wat::test::assert-contains
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :String
        ((Some f) (:wat::kernel::Failure/message f))
        (:None ""))
      "separator must not be empty")))
