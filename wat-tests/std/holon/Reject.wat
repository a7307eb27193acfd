;; wat-tests/std/holon/Reject.wat — (:wat::std::Reject x y) removes y's
;; direction from x and keeps the rest of x.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Reject::test-weakens-a-bundle-member 1024 :error
  (:wat::core::let*
    (((signal :holon::HolonAST) (:wat::algebra::Atom "signal"))
     ((baseline :holon::HolonAST) (:wat::algebra::Atom "baseline"))
     ((packet :holon::HolonAST)
      (:wat::core::match (:wat::algebra::Bundle (:wat::core::vec :holon::HolonAST signal baseline))
        -> :holon::HolonAST ((Ok h) h) ((Err _) signal)))
     ((residual :holon::HolonAST) (:wat::std::Reject packet baseline)))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::core::< (:wat::algebra::cosine baseline residual) (:wat::algebra::cosine baseline packet))
        (:wat::algebra::presence? signal residual))
      (:wat::core::vec :bool true true))))

(:wat::test::deftest :wat-tests::std::holon::Reject::test-keeps-x 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom 1))
     ((y :holon::HolonAST) (:wat::algebra::Atom 2)))
    (:wat::test::assert-eq (:wat::algebra::presence? x (:wat::std::Reject x y)) true)))

(:wat::test::deftest :wat-tests::std::holon::Reject::test-self-rejection-leaves-nothing 1024 :error
  (:wat::core::let*
    (((y :holon::HolonAST) (:wat::algebra::Atom :direction)))
    (:wat::test::assert-eq (:wat::algebra::cosine y (:wat::std::Reject y y)) 0.0)))
