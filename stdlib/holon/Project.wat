;; stdlib/holon/Project.wat — (:wat::std::Project x y): the part of x that
;; lies along y, the other half of the Gram-Schmidt pair.
;;
;;   Project(x, y) = x - Reject(x, y)

(:wat::core::defmacro
  (:wat::std::Project (x :AST<holon::HolonAST>) (y :AST<holon::HolonAST>) -> :AST<holon::HolonAST>)
  `(:wat::core::let*
     (((whole :holon::HolonAST) ,x))
     (:wat::std::Subtract whole (:wat::std::Reject whole ,y))))
