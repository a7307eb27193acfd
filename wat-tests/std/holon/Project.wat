;; wat-tests/std/holon/Project.wat — (:wat::std::Project x y) is the part of
;; x along y: what Reject takes away.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Project::test-shadow-of-a-bundle-on-its-member 1024 :error
  (:wat::core::let*
    (((member :holon::HolonAST) (:wat::algebra::Atom "member"))
     ((other :holon::HolonAST) (:wat::algebra::Atom "other"))
     ((whole :holon::HolonAST)
      (:wat::core::match (:wat::algebra::Bundle (:wat::core::vec :holon::HolonAST member other))
        -> :holon::HolonAST ((Ok h) h) ((Err _) other))))
    (:wat::test::assert-eq (:wat::algebra::presence? member (:wat::std::Project whole member)) true)))

(:wat::test::deftest :wat-tests::std::holon::Project::test-onto-itself-is-itself 1024 :error
  (:wat::core::let*
    (((y :holon::HolonAST) (:wat::algebra::Atom 3.25)))
    (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine y (:wat::std::Project y y)) 0.999) true)))

(:wat::test::deftest :wat-tests::std::holon::Project::test-unrelated-x-leaves-no-trace 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom "x-side"))
     ((y :holon::HolonAST) (:wat::algebra::Atom "y-side")))
    (:wat::test::assert-eq (:wat::algebra::presence? x (:wat::std::Project x y)) false)))
