;; wat-tests/std/holon/Ngram.wat — (:wat::std::Ngram n xs) bundles the
;; Sequential of every n-wide window, inside Bundle's Result.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Ngram::test-unigrams-are-the-items 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "a"))
     ((b :holon::HolonAST) (:wat::algebra::Atom "b"))
     ((c :holon::HolonAST) (:wat::algebra::Atom "c"))
     ((z :holon::HolonAST) (:wat::algebra::Atom "z"))
     ((grams :holon::HolonAST)
      (:wat::core::match (:wat::std::Ngram 1 (:wat::core::vec :holon::HolonAST a b c))
        -> :holon::HolonAST ((Ok h) h) ((Err _) z))))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? a grams)
        (:wat::algebra::presence? b grams)
        (:wat::algebra::presence? c grams)
        (:wat::algebra::presence? z grams))
      (:wat::core::vec :bool true true true false))))

(:wat::test::deftest :wat-tests::std::holon::Ngram::test-full-width-is-the-sequential 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>)
      (:wat::core::vec :holon::HolonAST (:wat::algebra::Atom 1) (:wat::algebra::Atom 2) (:wat::algebra::Atom 3)))
     ((whole :holon::HolonAST)
      (:wat::core::match (:wat::std::Ngram 3 xs) -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom 0)))))
    (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine whole (:wat::std::Sequential xs)) 0.999) true)))

(:wat::test::deftest :wat-tests::std::holon::Ngram::test-no-window-fits 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "a"))
     ((xs :Vec<holon::HolonAST>) (:wat::core::vec :holon::HolonAST a (:wat::algebra::Atom "b"))))
    (:wat::test::assert-eq
      (:wat::core::vec :f64
        (:wat::core::match (:wat::std::Ngram 0 xs) -> :f64 ((Ok h) (:wat::algebra::cosine a h)) ((Err _) -1.0))
        (:wat::core::match (:wat::std::Ngram 3 xs) -> :f64 ((Ok h) (:wat::algebra::cosine a h)) ((Err _) -1.0)))
      (:wat::core::vec :f64 0.0 0.0))))

(:wat::test::deftest :wat-tests::std::holon::Ngram::test-too-many-windows-is-an-err 1024 :error
  (:wat::core::let*
    (((xs :Vec<holon::HolonAST>) (:wat::core::map (:wat::core::range 0 40) :wat::algebra::Atom)))
    (:wat::test::assert-eq
      (:wat::core::match (:wat::std::Ngram 4 xs) -> :i64
        ((Ok _) 0)
        ((Err e) (:wat::algebra::CapacityExceeded/cost e)))
      37)))
