// Signals as flags a synchronous program can read.
//
// A wat program runs its scheduler synchronously, so libuv never gets to run
// the handlers node would install with process.on('SIGUSR1'). Instead each
// watched signal gets a sigaction handler that does two async-signal-safe
// things: set the signal's bit in an atomic word, and write one byte to a
// non-blocking self-pipe. The scheduler (or a thread parked on the pipe)
// sees the pipe readable; the flag primitives take the bits.
//
//   signalWatch([sig...], [once...]) -> readFd
//                         install handlers (idempotent per process); a signal
//                         also listed in `once` is caught once, then its
//                         default action is back (SA_RESETHAND): a second
//                         Ctrl-C ends a program that never looks at its flag
//   signalTake()          -> bitmask  bits raised since the last take; drains the pipe
//   signalRelease()                   restore the previous dispositions, close the pipe
//
// Only signals 1..31 are supported (one bit each in a 32-bit word). A forked
// child starts with SIG_DFL everywhere and without the pipe (fork.cc closes
// it); its first signalWatch notices the pid changed and starts over.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>

#include "args.h"
#include "errors.h"
#include "exports.h"

namespace wat {
namespace {

constexpr int kMaxSignal = 31;

std::atomic<uint32_t> g_raised{0};
int g_pipe_read = -1;
std::atomic<int> g_pipe_write{-1};
pid_t g_owner = 0;  // the process the handlers and pipe belong to
bool g_watched[kMaxSignal + 1];
struct sigaction g_previous[kMaxSignal + 1];

static_assert(std::atomic<uint32_t>::is_always_lock_free, "signal flags need a lock-free atomic");

void OnSignal(int sig) {
  int saved = errno;
  g_raised.fetch_or(uint32_t(1) << sig);
  int fd = g_pipe_write.load();
  if (fd >= 0) {
    char byte = static_cast<char>(sig);
    // Full pipe: a wakeup is already pending, the bit is what matters.
    (void)!write(fd, &byte, 1);
  }
  errno = saved;
}

// After fork the numbers in our globals belong to nothing (the child closed
// every inherited fd); forget them without closing.
void ForgetIfInherited() {
  if (g_owner == getpid()) return;
  g_pipe_read = -1;
  g_pipe_write.store(-1);
  g_raised.store(0);
  for (int s = 0; s <= kMaxSignal; s++) g_watched[s] = false;
  g_owner = getpid();
}

Napi::Value SignalWatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) return ThrowType(env, "signalWatch: signals must be an array");
  Napi::Array list = info[0].As<Napi::Array>();
  int sigs[kMaxSignal];
  uint32_t n = list.Length();
  if (n > static_cast<uint32_t>(kMaxSignal)) return ThrowType(env, "signalWatch: too many signals");
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = list.Get(i);
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (d < 1 || d > kMaxSignal || d != static_cast<int>(d) || d == SIGKILL || d == SIGSTOP) {
      return ThrowType(env, "signalWatch: every signal must be a catchable signal number in [1, 31]");
    }
    sigs[i] = static_cast<int>(d);
  }
  bool once[kMaxSignal + 1] = {false};
  if (info.Length() > 1 && info[1].IsArray()) {
    Napi::Array ol = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < ol.Length(); i++) {
      Napi::Value v = ol.Get(i);
      double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
      if (d >= 1 && d <= kMaxSignal && d == static_cast<int>(d)) once[static_cast<int>(d)] = true;
    }
  }
  ForgetIfInherited();
  if (g_pipe_read < 0) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) return ThrowErrno(env, "pipe2", errno, "signalWatch");
    g_pipe_read = fds[0];
    g_pipe_write.store(fds[1]);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: reads and writes resume; poll(2) still returns EINTR, which
  // is fine: the pipe is readable by then.
  for (uint32_t i = 0; i < n; i++) {
    int sig = sigs[i];
    if (g_watched[sig]) continue;
    sa.sa_flags = SA_RESTART | (once[sig] ? SA_RESETHAND : 0);
    if (sigaction(sig, &sa, &g_previous[sig]) < 0) {
      return ThrowErrno(env, "sigaction", errno, "signalWatch");
    }
    g_watched[sig] = true;
  }
  return Napi::Number::New(env, g_pipe_read);
}

Napi::Value SignalTake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ForgetIfInherited();
  if (g_pipe_read >= 0) {
    char buf[64];
    while (read(g_pipe_read, buf, sizeof buf) > 0) {
    }
  }
  uint32_t bits = g_raised.exchange(0);
  return Napi::Number::New(env, static_cast<double>(bits));
}

Napi::Value SignalRelease(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ForgetIfInherited();
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    if (!g_watched[sig]) continue;
    sigaction(sig, &g_previous[sig], nullptr);
    g_watched[sig] = false;
  }
  int w = g_pipe_write.exchange(-1);
  if (w >= 0) close(w);
  if (g_pipe_read >= 0) close(g_pipe_read);
  g_pipe_read = -1;
  g_raised.store(0);
  return env.Undefined();
}

}  // namespace

void InitSignals(Napi::Env env, Napi::Object exports) {
  exports.Set("signalWatch", Napi::Function::New(env, SignalWatch, "signalWatch"));
  exports.Set("signalTake", Napi::Function::New(env, SignalTake, "signalTake"));
  exports.Set("signalRelease", Napi::Function::New(env, SignalRelease, "signalRelease"));
}

}  // namespace wat
