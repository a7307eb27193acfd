;; stdlib/test.wat — :wat::test::*, the harness wat tests are written in.
;;
;; Every assertion fails by panicking (assertion-failed!); the sandbox a
;; test runs in catches the panic and returns it as the RunResult's Failure.
;; `deftest` wraps a body in that sandbox, so one test is one function of
;; type () -> :wat::kernel::RunResult, which is how wat-test finds it.

;; Structural equality; on mismatch the failure carries the message only
;; (the reference leaves actual/expected empty until values can be shown).
(:wat::core::define (:wat::test::assert-eq<T> (actual :T) (expected :T) -> :())
  (:wat::core::if (:wat::core::= actual expected) -> :()
    ()
    (:wat::kernel::assertion-failed! "assert-eq failed" :None :None)))

;; Substring check; both sides are strings, so the failure shows them.
(:wat::core::define (:wat::test::assert-contains (haystack :String) (needle :String) -> :())
  (:wat::core::if (:wat::core::string::contains? haystack needle) -> :()
    ()
    (:wat::kernel::assertion-failed! "assert-contains failed" (Some haystack) (Some needle))))

;; A RunResult's stdout, line for line.
(:wat::core::define (:wat::test::assert-stdout-is (result :wat::kernel::RunResult) (expected :Vec<String>) -> :())
  (:wat::core::let* (((lines :Vec<String>) (:wat::kernel::RunResult/stdout result)))
    (:wat::core::if (:wat::core::= lines expected) -> :()
      ()
      (:wat::kernel::assertion-failed! "assert-stdout-is failed"
        (Some (:wat::core::string::join "\n" lines))
        (Some (:wat::core::string::join "\n" expected))))))

;; True when some line matches the (unanchored) regex.
(:wat::core::define (:wat::test::any-line-matches (pattern :String) (lines :Vec<String>) -> :bool)
  (:wat::core::foldl lines false
    (:wat::core::lambda ((seen :bool) (line :String) -> :bool)
      (:wat::core::or seen (:wat::core::regex::matches? pattern line)))))

;; Some line of a RunResult's stderr matches the regex.
(:wat::core::define (:wat::test::assert-stderr-matches (result :wat::kernel::RunResult) (pattern :String) -> :())
  (:wat::core::let* (((lines :Vec<String>) (:wat::kernel::RunResult/stderr result)))
    (:wat::core::if (:wat::test::any-line-matches pattern lines) -> :()
      ()
      (:wat::kernel::assertion-failed! "assert-stderr-matches failed — no stderr line matched pattern"
        (Some (:wat::core::string::join "\n" lines))
        (Some pattern)))))

;; Run wat source text in a sandbox with no file system.
(:wat::core::define (:wat::test::run (src :String) (stdin :Vec<String>) -> :wat::kernel::RunResult)
  (:wat::kernel::run-sandboxed src stdin :None))

;; Run wat source text in a sandbox whose load! is clamped to `scope`.
(:wat::core::define (:wat::test::run-in-scope (src :String) (stdin :Vec<String>) (scope :String) -> :wat::kernel::RunResult)
  (:wat::kernel::run-sandboxed src stdin (Some scope)))

;; A program written as forms, not as a string: no escaping, real locations.
(:wat::core::defmacro (:wat::test::program & (forms :AST<Vec<wat::WatAST>>) -> :AST<Vec<wat::WatAST>>)
  `(:wat::core::forms ,@forms))

;; Run a program given as forms in an in-process sandbox.
(:wat::core::define (:wat::test::run-ast (forms :Vec<wat::WatAST>) (stdin :Vec<String>) -> :wat::kernel::RunResult)
  (:wat::kernel::run-sandboxed-ast forms stdin :None))

;; (deftest :my::test-name dims mode body) defines :my::test-name as a
;; zero-argument function that runs body as :user::main of a fresh sandboxed
;; program configured with dims and mode, and returns its RunResult.
(:wat::core::defmacro (:wat::test::deftest (name :AST<()>) (dims :AST<i64>) (mode :AST<wat::core::keyword>) (body :AST<()>) -> :AST<()>)
  `(:wat::core::define (,name -> :wat::kernel::RunResult)
     (:wat::kernel::run-sandboxed-ast
       (:wat::core::vec :wat::WatAST
         (:wat::core::quote (:wat::config::set-dims! ,dims))
         (:wat::core::quote (:wat::config::set-capacity-mode! ,mode))
         (:wat::core::quote
           (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
             ,body)))
       (:wat::core::vec :String)
       :None)))

;; Run a program given as forms in a forked child process (hermetic: its own
;; memory, real pipes for stdio). For programs whose threads write to
;; stdio, or that must not share the caller's process. See stdlib/hermetic.wat.
(:wat::core::define (:wat::test::run-hermetic-ast (forms :Vec<wat::WatAST>) (stdin :Vec<String>) -> :wat::kernel::RunResult)
  (:wat::kernel::run-sandboxed-hermetic-ast forms stdin :None))
