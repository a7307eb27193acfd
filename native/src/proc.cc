// Process-level syscalls: signals, exit, identity, subreaping, pidfds; and
// V8's flags (node's own v8 module costs ~8 ms to load, at every start).
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <v8.h>

#include <string>

#include "args.h"
#include "errors.h"
#include "exports.h"

namespace wat {
namespace {

// kill(2) and killpg(2) treat 0, -1 and negative ids as "a whole group" or
// "every process we may signal". A runner bug that passes fork()'s 0 (the
// child's return value) must not take down the runner's own group, so only
// real ids are accepted: pid > 0, pgid > 1 (killpg(1) would be kill(-1)).
Napi::Value SignalId(const Napi::CallbackInfo& info, bool group) {
  Napi::Env env = info.Env();
  int id, sig;
  if (!ArgInt(info, 0, group ? 2 : 1, kMaxInt,
              group ? "killpg: pgid" : "kill: pid", &id) ||
      !ArgInt(info, 1, 0, NSIG - 1, group ? "killpg: signal" : "kill: signal",
              &sig)) {
    return env.Undefined();
  }
  int rc = group ? killpg(id, sig) : kill(id, sig);
  // Already gone is the outcome the caller wanted.
  if (rc < 0 && errno != ESRCH) {
    return ThrowErrno(env, group ? "killpg" : "kill", errno);
  }
  return env.Undefined();
}

Napi::Value Kill(const Napi::CallbackInfo& info) { return SignalId(info, false); }
Napi::Value KillPg(const Napi::CallbackInfo& info) { return SignalId(info, true); }

// _exit(2): a forked child must not run the parent's exit handlers or flush
// stdio buffers it inherited (that would duplicate the parent's output).
// Never throws: an exception here would send a child back into the parent's
// code. A non-number exits 1; numbers are truncated to 8 bits like exit(3).
Napi::Value Exit(const Napi::CallbackInfo& info) {
  int code = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
  _exit(code & 0xff);
}

// In a forked child process.pid still holds the parent's pid.
Napi::Value GetPid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), getpid());
}

Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
    return ThrowErrno(info.Env(), "prctl", errno, "PR_SET_CHILD_SUBREAPER");
  }
  return info.Env().Undefined();
}

Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid;
  if (!ArgInt(info, 0, 1, kMaxInt, "pidfdOpen: pid", &pid)) return env.Undefined();
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return ThrowErrno(env, "pidfd_open", errno);
  return Napi::Number::New(env, static_cast<double>(fd));
}

// setV8Flags("--name=value ...") as v8.setFlagsFromString does.
Napi::Value SetV8Flags(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    Napi::TypeError::New(env, "setV8Flags: flags must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string flags = info[0].As<Napi::String>().Utf8Value();
  v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
  return env.Undefined();
}

}  // namespace

void InitProc(Napi::Env env, Napi::Object exports) {
  exports.Set("kill", Napi::Function::New(env, Kill, "kill"));
  exports.Set("killpg", Napi::Function::New(env, KillPg, "killpg"));
  exports.Set("exit", Napi::Function::New(env, Exit, "exit"));
  exports.Set("getpid", Napi::Function::New(env, GetPid, "getpid"));
  exports.Set("setChildSubreaper",
              Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
  exports.Set("pidfdOpen", Napi::Function::New(env, PidfdOpen, "pidfdOpen"));
  exports.Set("setV8Flags", Napi::Function::New(env, SetV8Flags, "setV8Flags"));
}

}  // namespace wat
