;; wat-tests/std/lang/io.wat — string-backed readers and writers.

(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::test::deftest :wat-tests::std::lang::io::test-reader-lines 1024 :error
  (:wat::core::let*
    (((r :wat::io::IOReader) (:wat::io::IOReader/from-string "a\r\nb\nc")))
    (:wat::test::assert-eq
      (:wat::core::vec :Option<String>
        (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r)
        (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r))
      (:wat::core::vec :Option<String> (Some "a") (Some "b") (Some "c") :None))))

(:wat::test::deftest :wat-tests::std::lang::io::test-reader-bytes-and-rewind 1024 :error
  (:wat::core::let*
    (((r :wat::io::IOReader) (:wat::io::IOReader/from-string "xyz"))
     ((two :Option<Vec<u8>>) (:wat::io::IOReader/read r 2))
     ((rest :Vec<u8>) (:wat::io::IOReader/read-all r))
     ((_ :()) (:wat::io::IOReader/rewind r)))
    (:wat::test::assert-eq
      (:wat::core::tuple two rest (:wat::io::IOReader/read-line r))
      (:wat::core::tuple
        (Some (:wat::core::vec :u8 (:wat::core::u8 120) (:wat::core::u8 121)))
        (:wat::core::vec :u8 (:wat::core::u8 122))
        (Some "xyz")))))

(:wat::test::deftest :wat-tests::std::lang::io::test-writer-counts 1024 :error
  (:wat::core::let*
    (((w :wat::io::IOWriter) (:wat::io::IOWriter/new))
     ((a :i64) (:wat::io::IOWriter/writeln w "ab"))
     ((b :i64) (:wat::io::IOWriter/write-string w "é"))
     ((c :i64) (:wat::io::IOWriter/write w (:wat::core::vec :u8 (:wat::core::u8 33)))))
    (:wat::test::assert-eq
      (:wat::core::tuple a b c (:wat::io::IOWriter/to-string w))
      (:wat::core::tuple 3 2 1 (Some "ab\né!")))))

(:wat::test::deftest :wat-tests::std::lang::io::test-to-string-needs-utf8 1024 :error
  (:wat::core::let*
    (((w :wat::io::IOWriter) (:wat::io::IOWriter/new))
     ((_ :()) (:wat::io::IOWriter/write-all w (:wat::core::vec :u8 (:wat::core::u8 255)))))
    (:wat::test::assert-eq (:wat::io::IOWriter/to-string w) :None)))
