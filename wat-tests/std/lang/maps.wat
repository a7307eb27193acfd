;; wat-tests/std/lang/maps.wat — HashMap and HashSet.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::maps::test-hashmap-get 1024 :error
  (:wat::core::let*
    (((m :wat::std::HashMap<String,i64>) (:wat::std::HashMap :(String,i64) "one" 1 "two" 2 "one" 11)))
    (:wat::test::assert-eq
      (:wat::core::tuple (:wat::std::get m "one") (:wat::std::get m "three") (:wat::std::contains? m "two"))
      (:wat::core::tuple (Some 11) :None true))))

(:wat::test::deftest :wat-tests::std::lang::maps::test-hashset-membership 1024 :error
  (:wat::core::let*
    (((s :wat::std::HashSet<i64>) (:wat::std::HashSet :i64 2 3 5 7)))
    (:wat::test::assert-eq
      (:wat::core::map (:wat::core::range 0 8)
        (:wat::core::lambda ((x :i64) -> :bool) (:wat::std::member? s x)))
      (:wat::core::vec :bool false false true true false true false true))))

(:wat::test::deftest :wat-tests::std::lang::maps::test-typed-keys 1024 :error
  (:wat::core::let*
    (((m :wat::std::HashMap<i64,String>) (:wat::std::HashMap :(i64,String) 1 "int" "1" "string")))
    (:wat::test::assert-eq
      (:wat::core::tuple (:wat::std::get m 1) (:wat::std::get m "1"))
      (:wat::core::tuple (Some "int") (Some "string")))))
