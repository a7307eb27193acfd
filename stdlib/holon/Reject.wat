;; stdlib/holon/Reject.wat — (:wat::std::Reject x y): the part of x
;; orthogonal to y, one Gram-Schmidt step.
;;
;;   Reject(x, y) = x - (x·y / y·y) y
;;
;; Both operands are evaluated once; the coefficient is measured on their
;; vectors at the program's dims, and the result is a Blend of the two.

(:wat::core::defmacro
  (:wat::std::Reject (x :AST<holon::HolonAST>) (y :AST<holon::HolonAST>) -> :AST<holon::HolonAST>)
  `(:wat::core::let*
     (((keep :holon::HolonAST) ,x)
      ((axis :holon::HolonAST) ,y)
      ((coefficient :f64)
        (:wat::core::f64::/ (:wat::algebra::dot keep axis) (:wat::algebra::dot axis axis))))
     (:wat::algebra::Blend keep axis 1.0 (:wat::core::f64::- 0.0 coefficient))))
