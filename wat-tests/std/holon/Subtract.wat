;; wat-tests/std/holon/Subtract.wat — (:wat::std::Subtract x y) keeps x and
;; pushes y out: y measures negative against the result, not just small.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Subtract::test-minuend-stays 1024 :error
  (:wat::core::let*
    (((kept :holon::HolonAST) (:wat::algebra::Atom "kept"))
     ((gone :holon::HolonAST) (:wat::algebra::Atom "gone")))
    (:wat::test::assert-eq (:wat::algebra::presence? kept (:wat::std::Subtract kept gone)) true)))

(:wat::test::deftest :wat-tests::std::holon::Subtract::test-subtrahend-turns-negative 1024 :error
  (:wat::core::let*
    (((kept :holon::HolonAST) (:wat::algebra::Atom "kept"))
     ((gone :holon::HolonAST) (:wat::algebra::Atom "gone"))
     ((left :holon::HolonAST) (:wat::std::Subtract kept gone)))
    (:wat::test::assert-eq (:wat::core::< (:wat::algebra::cosine gone left) 0.0) true)))

(:wat::test::deftest :wat-tests::std::holon::Subtract::test-self-difference-is-empty 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom 7)))
    (:wat::test::assert-eq (:wat::algebra::cosine x (:wat::std::Subtract x x)) 0.0)))
