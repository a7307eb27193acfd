// The fork itself, shared by the JS-facing fork() (fork.cc) and the native
// fork server (server.cc): both hand the child the same set-up.
#pragma once

#include <sys/types.h>
#include <uv.h>

namespace wat {

// 0,1,2 plus extras. Generous, and keeps the plan on the stack (no per-fork
// allocation).
constexpr int kMaxChildFds = 256;

struct ChildPlan {
  int fds[kMaxChildFds];  // fds[i] becomes fd i in the child
  int count;
  bool new_session;
  bool die_with_parent;
  pid_t parent;  // captured before fork: getppid() in the child compares to it
  uv_loop_t* loop;
  // Set by the fork server, which maps nothing once it serves and makes its
  // heap inheritable once: each fork then skips the madvise walk.
  bool heap_inheritable;
  // Set by the fork server too: the process has no other thread (a forked
  // child runs only the thread that forked it, and the server starts none),
  // so no other thread can hold a lock that glibc's fork() would wait for.
  // node's own process has several (libuv's, the platform's); see PlainFork.
  bool only_thread;
};

// Forks with every signal blocked and the heap made inheritable. Returns the
// pid in the parent, 0 in the child (set up per `plan`, ready to run JS), or
// -1 with *err and *failed (the syscall's name). plan->fds may be rewritten.
pid_t ForkWithPlan(ChildPlan* plan, int* err, const char** failed);

}  // namespace wat
