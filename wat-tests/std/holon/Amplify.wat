;; wat-tests/std/holon/Amplify.wat — (:wat::std::Amplify x y s): s sets how
;; much of y the result carries next to x.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Amplify::test-zero-gain-is-the-anchor 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom "anchor"))
     ((y :holon::HolonAST) (:wat::algebra::Atom "boost")))
    (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine x (:wat::std::Amplify x y 0.0)) 0.999) true)))

(:wat::test::deftest :wat-tests::std::holon::Amplify::test-gain-above-one-lets-y-lead 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom "anchor"))
     ((y :holon::HolonAST) (:wat::algebra::Atom "boost"))
     ((loud :holon::HolonAST) (:wat::std::Amplify x y 2.0)))
    (:wat::test::assert-eq
      (:wat::core::> (:wat::algebra::cosine y loud) (:wat::algebra::cosine x loud))
      true)))

(:wat::test::deftest :wat-tests::std::holon::Amplify::test-small-gain-keeps-both-present 1024 :error
  (:wat::core::let*
    (((x :holon::HolonAST) (:wat::algebra::Atom "anchor"))
     ((y :holon::HolonAST) (:wat::algebra::Atom "boost"))
     ((quiet :holon::HolonAST) (:wat::std::Amplify x y 0.5)))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? x quiet)
        (:wat::algebra::presence? y quiet)
        (:wat::core::> (:wat::algebra::cosine x quiet) (:wat::algebra::cosine y quiet)))
      (:wat::core::vec :bool true true true))))
