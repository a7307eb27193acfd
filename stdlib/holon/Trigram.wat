;; stdlib/holon/Trigram.wat — (:wat::std::Trigram xs): adjacent triples; Ngram 3.

(:wat::core::defmacro
  (:wat::std::Trigram (xs :AST<Vec<holon::HolonAST>>)
    -> :AST<Result<holon::HolonAST,wat::algebra::CapacityExceeded>>)
  `(:wat::std::Ngram 3 ,xs))
