// fork(2) that returns to JavaScript in both processes.
//
// Node was not built to be forked. What makes it work (the first three are
// measured in /work/shared/notes/fork-in-node.md, the last two were found
// here with strace):
//   1. V8 maps its heap MADV_DONTFORK; without MADV_DOFORK right before each
//      fork the child has no heap and segfaults. See inherit.cc.
//   2. V8 must run with --single-threaded, or GC in the child waits forever
//      for worker threads that were not copied.
//   3. The child inherits libuv's signal handlers, which forward signals into
//      a pipe the PARENT reads; every disposition is reset before JS runs.
//   4. V8 wakes the (now closed) loop eventfd from plain JS; libuv aborts on
//      the failed write. See SilenceLoopWakeups.
//   5. libuv's atfork handler closes fds by stale number in nested forks.
//      See g_libuv_stale_max; the fork server's forks skip atfork handlers
//      altogether (PlainFork).
// Everything the child does here is async-signal-safe: no malloc, no stdio.
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uv.h>

#include "args.h"
#include "errors.h"
#include "exports.h"
#include "fork.h"
#include "inherit.h"

namespace wat {
namespace {

// V8's platform wakes node's loop whenever it posts a task (uv_async_send:
// an 8-byte write to the loop's eventfd), and it posts tasks from ordinary
// JS such as allocation. In the child that eventfd is closed (and if it were
// not, it would be shared with the parent and wake the parent's loop), and
// libuv abort()s when the write fails. uv_async_send writes only when it
// flips a handle's `pending` flag from 0 to 1, so set every flag to 1 in the
// child's (copied) memory: no syscall, nothing shared is touched.
void SilenceLoopWakeups(uv_loop_t* loop) {
  if (loop == nullptr) return;
  uv_walk(
      loop,
      [](uv_handle_t* handle, void*) {
        if (handle->type == UV_ASYNC) {
          reinterpret_cast<uv_async_t*>(handle)->pending = 1;
        }
      },
      nullptr);
  // uv_walk skips libuv's internal handles; the threadpool's is the one left.
  loop->wq_async.pending = 1;
}

// Closes every fd >= first. close_range(2) when the kernel has it (>= 5.9);
// otherwise list /proc/self/fd in full, close the directory, THEN close what
// was listed: closing while iterating would skip entries.
void CloseFrom(int first) {
  if (syscall(SYS_close_range, static_cast<unsigned>(first), ~0U, 0) == 0) {
    return;
  }
  struct LinuxDirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
  };
  for (;;) {
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) {
      // No /proc: brute force up to the fd limit.
      long max = sysconf(_SC_OPEN_MAX);
      for (long fd = first; fd < (max > 0 ? max : 65536); fd++) close(fd);
      return;
    }
    int found[1024];
    int count = 0;
    bool truncated = false;
    alignas(8) char buf[4096];
    for (;;) {
      long n = syscall(SYS_getdents64, dir, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        auto* entry = reinterpret_cast<LinuxDirent64*>(buf + off);
        off += entry->d_reclen;
        const char* name = entry->d_name;
        if (name[0] < '0' || name[0] > '9') continue;
        int fd = 0;
        while (*name >= '0' && *name <= '9') fd = fd * 10 + (*name++ - '0');
        if (fd < first || fd == dir) continue;
        if (count == static_cast<int>(sizeof found / sizeof found[0])) {
          truncated = true;
          break;
        }
        found[count++] = fd;
      }
      if (truncated) break;
    }
    close(dir);
    for (int i = 0; i < count; i++) close(found[i]);
    if (!truncated) return;
  }
}

// Wherever glibc's fork() is used (everywhere but the fork server, see
// PlainFork below), atfork handlers run:
// libuv registers a pthread_atfork child handler that closes its global
// signal-lock pipe BY NUMBER and makes a new one at the lowest free numbers.
// A forked child then closes that new pipe with everything else (it owns only
// 0..n-1), so libuv's recorded numbers go stale and get reused by the child's
// own fds. If the child forks again, the handler closes those reused numbers
// in the grandchild before our setup runs, e.g. the pipe meant for its stdout.
// The new pipe took the two lowest free numbers, so both stale numbers are
// below the lowest number still free right after fork: the child records that
// bound, and before a nested fork every source fd at or below it is moved up.
// -1 in the original process, where libuv's numbers are its own open fds.
int g_libuv_stale_max = -1;

// Runs in the child, between fork() returning 0 and the first line of JS.
// All signals are still blocked (the parent blocked them around fork), so
// nothing can be delivered to an inherited libuv handler meanwhile.
void SetUpChild(const ChildPlan& plan) {
  // First, before we open or close anything ourselves.
  int lowest_free = fcntl(plan.fds[0], F_DUPFD, 0);
  if (lowest_free < 0) ChildDie("fcntl", errno);
  close(lowest_free);
  g_libuv_stale_max = lowest_free - 1;

  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    // glibc refuses its two internal signals (32, 33) with EINVAL; fine.
    sigaction(sig, &dfl, nullptr);
  }

  if (plan.new_session) {
    if (setsid() < 0) ChildDie("setsid", errno);
  } else if (setpgid(0, 0) < 0) {
    ChildDie("setpgid", errno);
  }

  if (plan.die_with_parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) ChildDie("prctl", errno);
    // The parent may have died before prctl: then we were already reparented
    // and the death signal will never come.
    if (getppid() != plan.parent) _exit(1);
  }

  SilenceLoopWakeups(plan.loop);

  // A source may be numbered like a target (e.g. stdout from fd 3 into fd 1
  // while fd 1 goes to fd 3). Move every such source above the highest
  // target first, so no dup2 below clobbers a source still to be read.
  const int n = plan.count;
  int src[kMaxChildFds];
  for (int i = 0; i < n; i++) {
    src[i] = plan.fds[i];
    if (src[i] < n) {
      src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, n);
      if (src[i] < 0) ChildDie("fcntl", errno);
    }
  }
  // src[i] >= n > i, so dup2 never sees oldfd == newfd and therefore always
  // clears FD_CLOEXEC on the target: no separate fcntl needed.
  for (int i = 0; i < n; i++) {
    while (dup2(src[i], i) < 0) {
      if (errno != EINTR) ChildDie("dup2", errno);
    }
  }
  // Also closes the temporaries above, node's epoll fd, libuv's signal pipe,
  // the parent's sockets: the child owns exactly 0..n-1.
  CloseFrom(n);

  // Last, so a signal sent while we set up (e.g. the runner's timeout kill)
  // lands on a default disposition in a fully set-up process.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

constexpr const char* kNotSingleThreaded =
    "wat-native: fork() refused: node is not running with --single-threaded. "
    "Run node with --single-threaded (e.g. `node --single-threaded app.js`; "
    "it is a V8 flag and is not accepted in NODE_OPTIONS). Why: V8's garbage "
    "collector hands work to background worker threads, and only the forking "
    "thread exists in a forked child, so the child would hang forever in its "
    "first major GC.";

// fork(singleThreaded, fds, newSession, dieWithParent) -> pid | 0
Napi::Value Fork(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].ToBoolean().Value()) {
    Napi::Error error = Napi::Error::New(env, kNotSingleThreaded);
    error.Set("code", Napi::String::New(env, "ERR_WAT_NOT_SINGLE_THREADED"));
    error.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Only the calling thread survives fork. From a worker thread that would be
  // a child with a worker's isolate and no main thread, and PDEATHSIG would
  // follow the worker's lifetime instead of the process's.
  if (syscall(SYS_gettid) != getpid()) {
    Napi::Error error = Napi::Error::New(
        env, "wat-native: fork() refused: call it from the main thread, not a worker thread.");
    error.Set("code", Napi::String::New(env, "ERR_WAT_NOT_MAIN_THREAD"));
    error.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!info[1].IsArray()) return ThrowType(env, "fork: fds must be an array");
  Napi::Array fds = info[1].As<Napi::Array>();

  ChildPlan plan;
  plan.count = static_cast<int>(fds.Length());
  if (plan.count < 3 || plan.count > kMaxChildFds) {
    return ThrowType(env, "fork: need stdin, stdout, stderr and at most 253 extra fds");
  }
  for (int i = 0; i < plan.count; i++) {
    Napi::Value v = fds.Get(static_cast<uint32_t>(i));
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (d < 0 || d > kMaxInt || d != static_cast<int>(d)) {
      return ThrowType(env, "fork: every fd must be a non-negative integer");
    }
    plan.fds[i] = static_cast<int>(d);
    // Catch a closed fd here, as a JS error in the parent, rather than as a
    // dup2 failure that only the child's stderr would ever see.
    if (fcntl(plan.fds[i], F_GETFD) < 0) {
      int err = errno;
      char context[64];
      snprintf(context, sizeof context, "fork: fd %d (for child fd %d)",
               plan.fds[i], i);
      return ThrowErrno(env, "fcntl", err, context);
    }
  }
  plan.new_session = info[2].ToBoolean().Value();
  plan.die_with_parent = info[3].ToBoolean().Value();
  plan.parent = getpid();
  plan.loop = nullptr;
  plan.heap_inheritable = false;  // node maps and V8 allocates between forks
  plan.only_thread = false;       // node runs libuv's and the platform's threads
  napi_get_uv_event_loop(env, &plan.loop);

  int err = 0;
  const char* failed = nullptr;
  pid_t pid = ForkWithPlan(&plan, &err, &failed);
  if (pid < 0) return ThrowErrno(env, failed, err);
  return Napi::Number::New(env, pid);
}

// fork(2) without glibc's fork(), for a process with no other thread (the
// fork server; plan.only_thread). glibc's runs the atfork work: it locks and
// resets every malloc arena and the stdio list, and libuv's handler makes a
// new signal pipe in the child. Each of those writes lands on a page shared
// with the child, so both sides copy it after every fork: ~16 pages in the
// fork server and ~8 in each child, measured with perf's page-fault events.
// With no other thread no lock can be held, so there is nothing to reset.
// (node itself runs several threads, even with --single-threaded: there the
// locking is what keeps a child from inheriting a malloc lock another thread
// held, so node's own forks keep glibc's fork().) glibc only needs its thread
// descriptor to hold the child's own thread id; the kernel writes it there
// (CLONE_CHILD_SETTID) once we know where it is: the one int in the
// descriptor equal to our thread id. Not exactly one such int: plain fork().
int* ThreadIdSlot() {
  static int* slot = nullptr;
  static bool looked = false;
  if (!looked) {
    looked = true;
    const int tid = static_cast<int>(syscall(SYS_gettid));
    int* self = reinterpret_cast<int*>(pthread_self());
    int found = 0;
    for (size_t i = 0; i < 1024 / sizeof(int); i++) {
      if (self[i] == tid) {
        slot = &self[i];
        found++;
      }
    }
    if (found != 1) slot = nullptr;
  }
  return slot;
}

pid_t PlainFork(bool only_thread) {
  int* tid = only_thread ? ThreadIdSlot() : nullptr;
  if (tid == nullptr) return fork();
  return static_cast<pid_t>(syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, nullptr, nullptr, tid, nullptr));
}

}  // namespace

pid_t ForkWithPlan(ChildPlan* plan, int* err, const char** failed) {
  // Nested fork only: keep sources clear of libuv's stale numbers (above).
  int moved[kMaxChildFds];
  int moved_count = 0;
  for (int i = 0; i < plan->count && g_libuv_stale_max >= 0; i++) {
    if (plan->fds[i] > g_libuv_stale_max) continue;
    int fd = fcntl(plan->fds[i], F_DUPFD_CLOEXEC, g_libuv_stale_max + 1);
    if (fd < 0) {
      *err = errno;
      *failed = "fcntl";
      for (int j = 0; j < moved_count; j++) close(moved[j]);
      return -1;
    }
    plan->fds[i] = moved[moved_count++] = fd;
  }

  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  if (!plan->heap_inheritable) ReenableHeapInheritance();
  pid_t pid = PlainFork(plan->only_thread);
  if (pid == 0) {
    SetUpChild(*plan);
    return 0;
  }
  *err = errno;
  *failed = "fork";
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  for (int j = 0; j < moved_count; j++) close(moved[j]);
  return pid;
}

void InitFork(Napi::Env env, Napi::Object exports) {
  exports.Set("fork", Napi::Function::New(env, Fork, "fork"));
}

}  // namespace wat
