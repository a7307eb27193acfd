;; wat-tests/std/holon/Trigram.wat — (:wat::std::Trigram xs): adjacent triples.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Trigram::test-every-window-present 1024 :error
  (:wat::core::let*
    (((w :Vec<holon::HolonAST>)
      (:wat::core::vec :holon::HolonAST
        (:wat::algebra::Atom "the") (:wat::algebra::Atom "quick") (:wat::algebra::Atom "brown") (:wat::algebra::Atom "fox")))
     ((tri :holon::HolonAST) (:wat::core::match (:wat::std::Trigram w) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "x")))))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::take w 3)) tri)
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::drop w 1)) tri)
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::reverse (:wat::core::take w 3))) tri))
      (:wat::core::vec :bool true true false))))

(:wat::test::deftest :wat-tests::std::holon::Trigram::test-is-ngram-three 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>) (:wat::core::map (:wat::core::range 10 16) :wat::algebra::Atom))
     ((left :holon::HolonAST) (:wat::core::match (:wat::std::Trigram xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "l"))))
     ((right :holon::HolonAST) (:wat::core::match (:wat::std::Ngram 3 xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "r")))))
    (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine left right) 0.999) true)))

(:wat::test::deftest :wat-tests::std::holon::Trigram::test-capacity-err-names-cost-and-budget 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>) (:wat::core::map (:wat::core::range 0 35) :wat::algebra::Atom)))
    (:wat::test::assert-eq
      (:wat::core::match (:wat::std::Trigram xs) -> :(i64,i64)
        ((Ok _) (:wat::core::tuple 0 0))
        ((Err e) (:wat::core::tuple (:wat::algebra::CapacityExceeded/cost e) (:wat::algebra::CapacityExceeded/budget e))))
      (:wat::core::tuple 33 32))))
