;; stdlib/holon/Circular.wat — (:wat::std::Circular value period): a cyclic
;; quantity (hour of day, day of week) as a point on a circle.
;;
;; With theta = 2π·value/period the result blends two fixed basis atoms
;; with weights cos(theta) and sin(theta): the ends of the period meet, so
;; 23:00 is near 00:00 and 12:00 is far from both.

(:wat::core::defmacro
  (:wat::std::Circular (value :AST<f64>) (period :AST<f64>) -> :AST<holon::HolonAST>)
  `(:wat::core::let*
     (((theta :f64)
        (:wat::core::f64::* (:wat::core::f64::* 2.0 (:wat::std::math::pi))
                            (:wat::core::f64::/ ,value ,period))))
     (:wat::algebra::Blend
       (:wat::algebra::Atom :wat::std::circular-cos-basis)
       (:wat::algebra::Atom :wat::std::circular-sin-basis)
       (:wat::std::math::cos theta)
       (:wat::std::math::sin theta))))
