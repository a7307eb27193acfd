;; stdlib/holon/Amplify.wat — (:wat::std::Amplify x y s): x, with y's part
;; scaled by s.
;;
;; A Blend with weights 1 and s; s is any f64 expression, evaluated where
;; the macro is used.

(:wat::core::defmacro
  (:wat::std::Amplify (x :AST<holon::HolonAST>) (y :AST<holon::HolonAST>) (s :AST<f64>) -> :AST<holon::HolonAST>)
  `(:wat::algebra::Blend ,x ,y 1.0 ,s))
