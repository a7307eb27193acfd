;; wat-tests/std/holon/Log.wat — (:wat::std::Log v min max) is a
;; Thermometer over logs: equal ratios are equal distances apart.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::holon::Log::test-same-as-thermometer-of-logs 1024 :error
  (:wat::test::assert-eq
    (:wat::core::> (:wat::algebra::cosine
                     (:wat::std::Log 50.0 1.0 1000.0)
                     (:wat::algebra::Thermometer (:wat::std::math::ln 50.0) 0.0 (:wat::std::math::ln 1000.0)))
                   0.999)
    true))

(:wat::test::deftest :wat-tests::std::holon::Log::test-equal-ratios-equal-distance 1024 :error
  (:wat::core::let*
    (((ten-to-hundred :f64)
      (:wat::algebra::cosine (:wat::std::Log 10.0 1.0 1000.0) (:wat::std::Log 100.0 1.0 1000.0)))
     ((hundred-to-thousand :f64)
      (:wat::algebra::cosine (:wat::std::Log 100.0 1.0 1000.0) (:wat::std::Log 1000.0 1.0 1000.0)))
     ((gap :f64) (:wat::core::f64::- ten-to-hundred hundred-to-thousand)))
    (:wat::test::assert-eq
      (:wat::core::and (:wat::core::< gap 0.01) (:wat::core::> gap -0.01))
      true)))

(:wat::test::deftest :wat-tests::std::holon::Log::test-ends-of-the-range-are-opposite 1024 :error
  (:wat::test::assert-eq
    (:wat::core::< (:wat::algebra::cosine (:wat::std::Log 1.0 1.0 1000.0) (:wat::std::Log 1000.0 1.0 1000.0)) -0.999)
    true))
