;; stdlib/holon/Log.wat — (:wat::std::Log value min max): a Thermometer over
;; natural logs, so equal ratios sit at equal distances.
;;
;; The caller keeps all three arguments positive.

(:wat::core::defmacro
  (:wat::std::Log (value :AST<f64>) (min :AST<f64>) (max :AST<f64>) -> :AST<holon::HolonAST>)
  `(:wat::algebra::Thermometer
     (:wat::std::math::ln ,value)
     (:wat::std::math::ln ,min)
     (:wat::std::math::ln ,max)))
