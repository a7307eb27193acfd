;; wat-tests/std/holon/Sequential.wat — (:wat::std::Sequential xs) is the
;; bind chain of the items, item i shifted by i.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Sequential::test-is-the-bind-chain 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "a"))
     ((b :holon::HolonAST) (:wat::algebra::Atom "b"))
     ((c :holon::HolonAST) (:wat::algebra::Atom "c"))
     ((by-hand :holon::HolonAST)
      (:wat::algebra::Bind (:wat::algebra::Bind a (:wat::algebra::Permute b 1)) (:wat::algebra::Permute c 2))))
    (:wat::test::assert-eq
      (:wat::core::> (:wat::algebra::cosine by-hand (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a b c))) 0.999)
      true)))

(:wat::test::deftest :wat-tests::std::holon::Sequential::test-one-item-is-that-item 1024 :error
  (:wat::core::let*
    (((only :holon::HolonAST) (:wat::algebra::Atom "only")))
    (:wat::test::assert-eq
      (:wat::core::> (:wat::algebra::cosine only (:wat::std::Sequential (:wat::core::vec :holon::HolonAST only))) 0.999)
      true)))

(:wat::test::deftest :wat-tests::std::holon::Sequential::test-a-changed-tail-does-not-match 1024 :error
  (:wat::core::let*
    (((a :holon::HolonAST) (:wat::algebra::Atom "a"))
     ((b :holon::HolonAST) (:wat::algebra::Atom "b"))
     ((c :holon::HolonAST) (:wat::algebra::Atom "c"))
     ((d :holon::HolonAST) (:wat::algebra::Atom "d")))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a b c))
                                  (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a b d)))
        (:wat::algebra::presence? (:wat::std::Sequential (:wat::core::vec :holon::HolonAST a b c))
                                  (:wat::std::Sequential (:wat::core::vec :holon::HolonAST c b a))))
      (:wat::core::vec :bool false false))))
