;; wat-tests/std/holon/Circular.wat — (:wat::std::Circular v period) puts v
;; on a circle: the ends of the period meet and similarity falls with the
;; distance around the circle.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

;; the sign threshold makes 0 and one full period near rather than equal:
;; sin(2π) is a tiny negative number, not 0, and it decides the positions
;; where the cos-basis atom is 0
(:wat::test::deftest :wat-tests::std::holon::Circular::test-period-wraps-around 1024 :error
  (:wat::test::assert-eq
    (:wat::core::vec :bool
      (:wat::algebra::presence? (:wat::std::Circular 0.0 7.0) (:wat::std::Circular 7.0 7.0))
      (:wat::core::> (:wat::algebra::cosine (:wat::std::Circular 1.0 7.0) (:wat::std::Circular 8.0 7.0)) 0.999))
    (:wat::core::vec :bool true true)))

(:wat::test::deftest :wat-tests::std::holon::Circular::test-similarity-falls-around-the-clock 1024 :error
  (:wat::core::let*
    (((noon :holon::HolonAST) (:wat::std::Circular 12.0 24.0))
     ((one :f64) (:wat::algebra::cosine noon (:wat::std::Circular 13.0 24.0)))
     ((six :f64) (:wat::algebra::cosine noon (:wat::std::Circular 18.0 24.0)))
     ((twelve :f64) (:wat::algebra::cosine noon (:wat::std::Circular 0.0 24.0))))
    (:wat::test::assert-eq
      (:wat::core::vec :bool (:wat::core::> one six) (:wat::core::> six twelve))
      (:wat::core::vec :bool true true))))

(:wat::test::deftest :wat-tests::std::holon::Circular::test-opposite-days-of-week-are-far 1024 :error
  (:wat::core::let*
    (((monday :holon::HolonAST) (:wat::std::Circular 0.0 7.0))
     ((thursday-noon :holon::HolonAST) (:wat::std::Circular 3.5 7.0))
     ((sunday :holon::HolonAST) (:wat::std::Circular 6.0 7.0)))
    (:wat::test::assert-eq
      (:wat::core::vec :bool
        (:wat::algebra::presence? monday sunday)
        (:wat::algebra::presence? monday thursday-noon))
      (:wat::core::vec :bool true false))))
