;; stdlib/holon/Sequential.wat — (:wat::std::Sequential xs): an ordered list
;; as one holon that only the same items in the same order match.
;;
;;   [a]       → a
;;   [a b]     → Bind(a, Permute(b, 1))
;;   [a b c]   → Bind(Bind(a, Permute(b, 1)), Permute(c, 2))
;;
;; Item i is shifted by i, and the shifted items are bound left to right:
;; a fold that carries the chain so far and the next position.

(:wat::core::defmacro
  (:wat::std::Sequential (xs :AST<Vec<holon::HolonAST>>) -> :AST<holon::HolonAST>)
  `(:wat::core::let*
     (((items :Vec<holon::HolonAST>) ,xs))
     (:wat::core::first
       (:wat::core::foldl
         (:wat::core::rest items)
         (:wat::core::tuple (:wat::core::first items) 1)
         (:wat::core::lambda
           ((chain :(holon::HolonAST,i64)) (next :holon::HolonAST) -> :(holon::HolonAST,i64))
           (:wat::core::tuple
             (:wat::algebra::Bind (:wat::core::first chain)
                                  (:wat::algebra::Permute next (:wat::core::second chain)))
             (:wat::core::i64::+ (:wat::core::second chain) 1)))))))
