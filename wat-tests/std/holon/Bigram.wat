;; wat-tests/std/holon/Bigram.wat — (:wat::std::Bigram xs): adjacent pairs.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Bigram::test-adjacent-pairs-present 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "a"))
     ((b :holon::HolonAST) (:wat::algebra::Atom "b"))
     ((c :holon::HolonAST) (:wat::algebra::Atom "c"))
     ((pairs :holon::HolonAST)
      (:wat::core::match (:wat::std::Bigram (:wat::core::vec :holon::HolonAST a b c))
        -> :holon::HolonAST ((Ok h) h) ((Err _) a))))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a b)) pairs)
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST b c)) pairs)
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a c)) pairs)
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST b a)) pairs))
      (:wat::core::vec :bool true true false false))))

(:wat::test::deftest :wat-tests::std::holon::Bigram::test-is-ngram-two 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>) (:wat::core::map (:wat::core::range 0 6) :wat::algebra::Atom))
     ((left :holon::HolonAST) (:wat::core::match (:wat::std::Bigram xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "l"))))
     ((right :holon::HolonAST) (:wat::core::match (:wat::std::Ngram 2 xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "r")))))
    (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine left right) 0.999) true)))

(:wat::test::deftest :wat-tests::std::holon::Bigram::test-one-item-has-no-pair 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "alone")))
    (:wat::test::assert-eq
      (:wat::core::match (:wat::std::Bigram (:wat::core::vec :holon::HolonAST a)) -> :bool
        ((Ok h) (:wat::algebra::presence? a h))
        ((Err _) true))
      false)))
