;; wat-tests/std/holon/algebra.wat — the algebra core the stdlib forms stand
;; on: Atom, Bind, Bundle, Permute, Thermometer, Blend, and the measurements.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::algebra::test-atoms-are-typed 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::algebra::presence? (:wat::algebra::Atom 42) (:wat::algebra::Atom 42))
      (:wat::algebra::presence? (:wat::algebra::Atom 42) (:wat::algebra::Atom "42"))
      (:wat::algebra::presence? (:wat::algebra::Atom 42) (:wat::algebra::Atom 42.0))
      (:wat::algebra::presence? (:wat::algebra::Atom "name") (:wat::algebra::Atom :name)))
    (:wat::core::vec :bool true false false false)))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-unbinding-recovers-the-filler 1024 :error
  (:wat::core::let*
    (((role :holon::HolonAST) (:wat::algebra::Atom :color))
     ((filler :holon::HolonAST) (:wat::algebra::Atom "red"))
     ((pair :holon::HolonAST) (:wat::algebra::Bind role filler)))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? filler pair)
        (:wat::algebra::presence? filler (:wat::algebra::Bind pair role)))
      (:wat::core::vec :bool false true))))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-bundle-holds-its-members 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>) (:wat::core::map (:wat::core::range 0 7) :wat::algebra::Atom))
     ((b :holon::HolonAST) (:wat::core::match (:wat::algebra::Bundle xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom 0)))))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::core::foldl xs true
          (:wat::core::lambda ((all :bool) (x :holon::HolonAST) -> :bool)
            (:wat::core::and all (:wat::algebra::presence? x b))))
        (:wat::algebra::presence? (:wat::algebra::Atom 99) b))
      (:wat::core::vec :bool true false))))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-permute-moves-and-returns 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom "x")))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? x (:wat::algebra::Permute x 1))
        (:wat::core::> (:wat::algebra::cosine x (:wat::algebra::Permute (:wat::algebra::Permute x 5) -5)) 0.999)
        (:wat::core::= (:wat::algebra::dot x x) (:wat::algebra::dot (:wat::algebra::Permute x 9) (:wat::algebra::Permute x 9))))
      (:wat::core::vec :bool false true true))))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-thermometer-gradient 1024 :error
  (:wat::core::let*
    (((zero :holon::HolonAST) (:wat::algebra::Thermometer 0.0 0.0 1.0))
     ((quarter :f64) (:wat::algebra::cosine zero (:wat::algebra::Thermometer 0.25 0.0 1.0)))
     ((half :f64) (:wat::algebra::cosine zero (:wat::algebra::Thermometer 0.5 0.0 1.0))))
    (:wat::test::assert-eq (:wat::core::vec :f64 quarter half) (:wat::core::vec :f64 0.5 0.0))))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-capacity-error-mode 1024 :error
  (:wat::test::assert-eq
    (:wat::core::match (:wat::algebra::Bundle (:wat::core::map (:wat::core::range 0 33) :wat::algebra::Atom)) -> :i64
      ((Ok _) 0)
      ((Err e) (:wat::algebra::CapacityExceeded/budget e)))
    32))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-capacity-silent-mode 1024 :silent
  (:wat::test::assert-eq
    (:wat::core::match (:wat::algebra::Bundle (:wat::core::map (:wat::core::range 0 33) :wat::algebra::Atom)) -> :bool
      ((Ok _) true)
      ((Err _) false))
    true))

(:wat::test::deftest :wat-tests::std::holon::algebra::test-capacity-abort-mode-panics 1024 :error
  (:wat::core::let*
    (((r :wat::kernel::RunResult)
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :abort)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::core::match (:wat::algebra::Bundle (:wat::core::map (:wat::core::range 0 33) :wat::algebra::Atom)) -> :()
              ((Ok _) ())
              ((Err _) ()))))
        (:wat::core::vec :String))))
    (:wat::test::assert-eq
      (:wat::core::match (:wat::kernel::RunResult/failure r) -> :bool
        ((Some f) (:wat::core::string::contains? (:wat::kernel::Failure/message f) "capacity exceeded under :abort"))
        (:None false))
      true)))
