;; stdlib/holon/Subtract.wat — (:wat::std::Subtract x y): x with y taken out.
;;
;; A Blend with weights 1 and -1. Measured against the result, x stays
;; well above the noise floor; an atom unrelated to both stays below it.

(:wat::core::defmacro
  (:wat::std::Subtract (x :AST<holon::HolonAST>) (y :AST<holon::HolonAST>) -> :AST<holon::HolonAST>)
  `(:wat::algebra::Blend ,x ,y 1.0 -1.0))
