// Reaping children: blocking (waitSync), non-blocking (tryWait), and on the
// event loop (waitAsync) without any polling timer: a pidfd becomes readable
// when its process exits, and libuv watches it like any other fd.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "args.h"
#include "errors.h"
#include "exports.h"
#include "wait.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace wat {
namespace {

double Ms(const struct timeval& tv) {
  return static_cast<double>(tv.tv_sec) * 1e3 +
         static_cast<double>(tv.tv_usec) / 1e3;
}

// The raw record; index.ts adds the decoded status and the signal's name.
Napi::Object ToJs(Napi::Env env, const Exit& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("pid", Napi::Number::New(env, e.pid));
  o.Set("exitCode", e.signal ? env.Null() : Napi::Number::New(env, e.code));
  o.Set("signal", e.signal ? Napi::Number::New(env, e.signal) : env.Null());
  o.Set("maxRssKb", Napi::Number::New(env, static_cast<double>(e.usage.ru_maxrss)));
  o.Set("userMs", Napi::Number::New(env, Ms(e.usage.ru_utime)));
  o.Set("sysMs", Napi::Number::New(env, Ms(e.usage.ru_stime)));
  return o;
}

}  // namespace

// wait4(pid) -> 1 reaped, 0 still running (WNOHANG), -1 errno set.
int Wait4(pid_t pid, int options, Exit* out) {
  int status = 0;
  pid_t got;
  do {
    got = wait4(pid, &status, options, &out->usage);
  } while (got < 0 && errno == EINTR);
  if (got <= 0) return got;
  out->pid = got;
  out->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return 1;
}

// Reaps through the pidfd rather than the pid: a pid can be recycled (pid_max
// is often 32768 and a run forks thousands), a pidfd cannot. The raw syscall
// takes the rusage argument that glibc's waitid() wrapper drops.
int WaitPidfd(int pidfd, pid_t pid, Exit* out) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  long rc;
  do {
    rc = syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED | WNOHANG,
                 &out->usage);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0 && errno == EINVAL) return Wait4(pid, WNOHANG, out);  // < 5.4
  if (rc < 0) return errno == EAGAIN ? 0 : -1;
  if (si.si_pid == 0) return 0;
  out->pid = si.si_pid;
  bool exited = si.si_code == CLD_EXITED;
  out->code = exited ? si.si_status : -1;
  out->signal = exited ? 0 : si.si_status;
  return 1;
}

namespace {

Napi::Value WaitSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid;
  if (!ArgInt(info, 0, 1, kMaxInt, "waitSync: pid", &pid)) return env.Undefined();
  Exit e;
  if (Wait4(pid, 0, &e) < 0) return ThrowErrno(env, "wait4", errno);
  return ToJs(env, e);
}

Napi::Value TryWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid;
  if (!ArgInt(info, 0, 1, kMaxInt, "tryWait: pid", &pid)) return env.Undefined();
  Exit e;
  int rc = Wait4(pid, WNOHANG, &e);
  if (rc < 0) return ThrowErrno(env, "wait4", errno);
  return rc == 0 ? env.Null() : ToJs(env, e);
}

// One per pending waitAsync; owns the pidfd and the poll handle, freed in
// the handle's close callback (libuv still references it until then).
struct PendingWait {
  uv_poll_t poll;
  napi_env env;
  napi_deferred deferred;
  napi_async_context async;
  pid_t pid;
  int pidfd;
};

void OnClosed(uv_handle_t* handle) {
  auto* w = static_cast<PendingWait*>(handle->data);
  // Only now: libuv must stop watching an fd before anyone may reuse it.
  close(w->pidfd);
  delete w;
}

// Environment teardown (e.g. a worker thread ending) with waits pending:
// the loop cannot close with live handles, so close them; the promises
// die with their environment.
void OnEnvCleanup(void* arg) {
  auto* w = static_cast<PendingWait*>(arg);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
}

void Settle(PendingWait* w, const Exit* e, int err) {
  napi_env env = w->env;
  napi_remove_env_cleanup_hook(env, OnEnvCleanup, w);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
  Napi::HandleScope scope(env);
  // A callback scope, because we are called from libuv, not from JS: closing
  // it drains the microtask queue, so `await waitAsync()` continues now
  // instead of whenever some unrelated callback happens to run.
  napi_callback_scope callback_scope;
  napi_open_callback_scope(env, Napi::Object::New(env), w->async,
                           &callback_scope);
  if (e != nullptr) {
    napi_resolve_deferred(env, w->deferred, ToJs(env, *e));
  } else {
    napi_reject_deferred(env, w->deferred, ErrnoError(env, "waitid", err).Value());
  }
  napi_close_callback_scope(env, callback_scope);
  napi_async_destroy(env, w->async);
}

void OnReadable(uv_poll_t* handle, int status, int events) {
  auto* w = static_cast<PendingWait*>(handle->data);
  Exit e;
  if (status < 0) {
    Settle(w, nullptr, -status);  // libuv errors are negated errnos on unix
    return;
  }
  int rc = WaitPidfd(w->pidfd, w->pid, &e);
  if (rc == 0) return;  // not exited after all; keep watching
  if (rc < 0) {
    Settle(w, nullptr, errno);
    return;
  }
  Settle(w, &e, 0);
}

// waitAsync(pid) -> Promise<raw exit record>
Napi::Value WaitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid;
  if (!ArgInt(info, 0, 1, kMaxInt, "waitAsync: pid", &pid)) return env.Undefined();
  // Raw napi_deferred: it outlives this call, the C++ wrapper would not.
  napi_deferred deferred;
  napi_value promise;
  napi_create_promise(env, &deferred, &promise);

  // Already exited (or not our child): answer without touching the loop.
  Exit e;
  int rc = Wait4(pid, WNOHANG, &e);
  if (rc > 0) {
    napi_resolve_deferred(env, deferred, ToJs(env, e));
    return Napi::Value(env, promise);
  }
  long pidfd = rc < 0 ? -1 : syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) {
    napi_reject_deferred(
        env, deferred, ErrnoError(env, rc < 0 ? "wait4" : "pidfd_open", errno).Value());
    return Napi::Value(env, promise);
  }

  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  auto* w = new PendingWait();
  w->env = env;
  w->deferred = deferred;
  w->pid = pid;
  w->pidfd = static_cast<int>(pidfd);
  int uv_err = uv_poll_init(loop, &w->poll, w->pidfd);
  if (uv_err != 0) {
    // A failed uv_poll_init leaves the handle unregistered: nothing to close.
    close(w->pidfd);
    delete w;
    napi_reject_deferred(env, deferred, ErrnoError(env, "uv_poll_init", -uv_err).Value());
    return Napi::Value(env, promise);
  }
  w->poll.data = w;
  uv_err = uv_poll_start(&w->poll, UV_READABLE, OnReadable);
  if (uv_err != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), OnClosed);
    napi_reject_deferred(env, deferred, ErrnoError(env, "uv_poll_start", -uv_err).Value());
    return Napi::Value(env, promise);
  }
  napi_async_init(env, nullptr, Napi::String::New(env, "wat.waitAsync"), &w->async);
  napi_add_env_cleanup_hook(env, OnEnvCleanup, w);
  return Napi::Value(env, promise);
}

}  // namespace

void InitWait(Napi::Env env, Napi::Object exports) {
  exports.Set("waitAsync", Napi::Function::New(env, WaitAsync, "waitAsync"));
  exports.Set("waitSync", Napi::Function::New(env, WaitSync, "waitSync"));
  exports.Set("tryWait", Napi::Function::New(env, TryWait, "tryWait"));
}

}  // namespace wat
