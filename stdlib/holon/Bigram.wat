;; stdlib/holon/Bigram.wat — (:wat::std::Bigram xs): adjacent pairs; Ngram 2.

(:wat::core::defmacro
  (:wat::std::Bigram (xs :AST<Vec<holon::HolonAST>>)
    -> :AST<Result<holon::HolonAST,wat::algebra::CapacityExceeded>>)
  `(:wat::std::Ngram 2 ,xs))
