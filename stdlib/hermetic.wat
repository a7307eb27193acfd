;; stdlib/hermetic.wat — the hermetic sandbox, in wat, on the fork substrate.
;;
;; (:wat::kernel::run-sandboxed-hermetic-ast forms stdin scope) runs `forms`
;; as a program of its own in a forked child process and returns what it
;; printed and how it ended, as a :wat::kernel::RunResult — the same shape
;; the in-process run-sandboxed-ast returns. The child inherits the loaded
;; runtime and the forms by fork; nothing is re-parsed or written to disk.
;;
;; While the child runs, three green threads of the caller talk to it at
;; once: one writes stdin and then closes it (so a child reading stdin to
;; the end finishes), and one each drains stdout and stderr to the end. No
;; pipe ever fills up with nobody reading it, so a child may print any
;; amount; each of those threads waits in the scheduler's poll, never
;; blocking the caller's other threads.
;;
;; The child's exit code (runtime/fork/child.ts) becomes the Failure:
;;   0 none · 1 [runtime error] · 2 [panic] · 3 [startup error]
;;   4 [:user::main signature] · anything else [nonzero exit]
;; followed by the child's stderr lines (its one-line diagnostic among
;; them). The runner maps these prefixes back to causes (runtime/failure.ts).

;; The parent's view of a forked child: its handle and the parent's ends of
;; its three pipes.
(:wat::core::struct :wat::kernel::ForkedChild
  (handle :wat::kernel::ChildHandle)
  (stdin :wat::io::IOWriter)
  (stdout :wat::io::IOReader)
  (stderr :wat::io::IOReader))

;; Every line of a reader, to end of input (run on its own thread).
(:wat::core::define (:wat::kernel::hermetic::drain (r :wat::io::IOReader) -> :Vec<String>)
  (:wat::io::IOReader/read-lines r))

;; Write the stdin lines (joined by newlines, as the in-process sandbox
;; reads them) and close the pipe. A child that ended without reading is
;; not an error: feed answers :None and the exit code tells the rest.
(:wat::core::define (:wat::kernel::hermetic::feed (w :wat::io::IOWriter) (lines :Vec<String>) -> :())
  (:wat::core::let*
    (((_ :Option<()>)
      (:wat::core::if (:wat::core::empty? lines) -> :Option<()>
        (Some ())
        (:wat::io::IOWriter/feed w (:wat::core::string::join "\n" lines)))))
    (:wat::io::IOWriter/close w)))

;; The first line of a failed child's Failure message.
(:wat::core::define (:wat::kernel::hermetic::exit-prefix (code :i64) -> :String)
  (:wat::core::match code -> :String
    (1 "[runtime error]")
    (2 "[panic]")
    (3 "[startup error]")
    (4 "[:user::main signature]")
    (_ (:wat::core::string::join ""
         (:wat::core::vec :String "[nonzero exit] exit code " (:wat::edn::write code))))))

;; :None for exit 0; otherwise a Failure whose message is the prefix line
;; followed by the child's stderr.
(:wat::core::define (:wat::kernel::hermetic::failure (code :i64) (stderr :Vec<String>) -> :Option<wat::kernel::Failure>)
  (:wat::core::if (:wat::core::= code 0) -> :Option<wat::kernel::Failure>
    :None
    (Some (:wat::core::struct-new :wat::kernel::Failure
            (:wat::core::string::join "\n"
              (:wat::core::vec :String (:wat::kernel::hermetic::exit-prefix code) (:wat::core::string::join "\n" stderr)))
            :None
            (:wat::core::vec :wat::kernel::Frame)
            :None
            :None))))

(:wat::core::define
  (:wat::kernel::run-sandboxed-hermetic-ast
    (forms :Vec<wat::WatAST>)
    (stdin :Vec<String>)
    (scope :Option<String>)
    -> :wat::kernel::RunResult)
  (:wat::core::match scope -> :wat::kernel::RunResult
    ((Some _)
      (:wat::core::struct-new :wat::kernel::RunResult
        (:wat::core::vec :String)
        (:wat::core::vec :String)
        (Some (:wat::core::struct-new :wat::kernel::Failure
                "run-sandboxed-hermetic-ast: a load scope is not supported in a forked child yet; pass :None"
                :None
                (:wat::core::vec :wat::kernel::Frame)
                :None
                :None))))
    (:None
      (:wat::core::let*
        (((child :wat::kernel::ForkedChild) (:wat::kernel::fork-with-forms forms))
         ((out :wat::kernel::ProgramHandle<Vec<String>>)
          (:wat::kernel::spawn :wat::kernel::hermetic::drain (:wat::kernel::ForkedChild/stdout child)))
         ((err :wat::kernel::ProgramHandle<Vec<String>>)
          (:wat::kernel::spawn :wat::kernel::hermetic::drain (:wat::kernel::ForkedChild/stderr child)))
         ((in :wat::kernel::ProgramHandle<()>)
          (:wat::kernel::spawn :wat::kernel::hermetic::feed (:wat::kernel::ForkedChild/stdin child) stdin))
         ((stdout-lines :Vec<String>) (:wat::kernel::join out))
         ((stderr-lines :Vec<String>) (:wat::kernel::join err))
         ((_ :()) (:wat::kernel::join in))
         ((code :i64) (:wat::kernel::wait-child (:wat::kernel::ForkedChild/handle child))))
        (:wat::core::struct-new :wat::kernel::RunResult
          stdout-lines
          stderr-lines
          (:wat::kernel::hermetic::failure code stderr-lines))))))
