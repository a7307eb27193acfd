;; stdlib/holon/Ngram.wat — (:wat::std::Ngram n xs): every run of n adjacent
;; items, each as a Sequential, bundled into one holon.
;;
;; Returns Bundle's Result: (Ok holon), or (Err CapacityExceeded) when the
;; number of windows is over the budget under :error. With n <= 0, or n
;; longer than xs, no window fits and the bundle is empty.

(:wat::core::defmacro
  (:wat::std::Ngram (n :AST<i64>) (xs :AST<Vec<holon::HolonAST>>)
    -> :AST<Result<holon::HolonAST,wat::algebra::CapacityExceeded>>)
  `(:wat::core::let*
     (((items :Vec<holon::HolonAST>) ,xs)
      ((size :i64) ,n)
      ((starts :Vec<i64>)
        (:wat::core::if (:wat::core::> size 0) -> :Vec<i64>
          (:wat::core::range 0
            (:wat::core::i64::- (:wat::core::i64::+ (:wat::core::length items) 1) size))
          (:wat::core::vec :i64))))
     (:wat::algebra::Bundle
       (:wat::core::map starts
         (:wat::core::lambda ((start :i64) -> :holon::HolonAST)
           (:wat::std::Sequential (:wat::core::take (:wat::core::drop items start) size)))))))
