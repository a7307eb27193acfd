// Raw fd I/O. A forked child has no usable event loop (its epoll instance is
// shared with the parent), so it does all its I/O through these blocking
// calls; the parent uses them for small synchronous exchanges.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "args.h"
#include "errors.h"
#include "exports.h"

namespace wat {
namespace {

constexpr int kDefaultReadBytes = 65536;

// A write to a pipe whose reader is gone raises SIGPIPE. Node's parent
// ignores SIGPIPE, but a forked child has it reset to SIG_DFL (it must: the
// disposition would otherwise leak into anything it execs), so a plain
// write(2) would kill the child instead of reporting EPIPE. We do not rely on
// any process-wide disposition: SIGPIPE is blocked for the duration of the
// write, and a SIGPIPE that the write itself raised is consumed before the
// mask is restored (unless one was already pending before we started, which
// belongs to someone else).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  void ConsumeOwnSigpipe() {
    if (was_pending_) return;
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_;
};

// pipe() -> [readFd, writeFd]
Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  // O_CLOEXEC: a pipe end reaches a child only when fork() is told to dup2
  // it; nothing leaks through exec.
  if (pipe2(fds, O_CLOEXEC) < 0) return ThrowErrno(env, "pipe2", errno);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, fds[0]));
  out.Set(1u, Napi::Number::New(env, fds[1]));
  return out;
}

// read(fd, maxBytes) -> Buffer | null (EOF); empty Buffer on EAGAIN
Napi::Value Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd, max = kDefaultReadBytes;
  if (!ArgInt(info, 0, 0, kMaxInt, "read: fd", &fd)) return env.Undefined();
  if (!info[1].IsUndefined() &&
      !ArgInt(info, 1, 1, 1 << 30, "read: maxBytes", &max)) {
    return env.Undefined();
  }
  // Read into scratch and copy out only what arrived, so a 10-byte message
  // does not cost a 64 KiB Buffer.
  char stack[kDefaultReadBytes];
  std::unique_ptr<char[]> heap;
  char* buf = stack;
  if (max > kDefaultReadBytes) {
    heap.reset(new char[max]);
    buf = heap.get();
  }
  ssize_t n;
  do {
    n = read(fd, buf, static_cast<size_t>(max));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return Napi::Buffer<char>::New(env, 0);
    return ThrowErrno(env, "read", errno);
  }
  if (n == 0) return env.Null();
  return Napi::Buffer<char>::Copy(env, buf, static_cast<size_t>(n));
}

// write(fd, Uint8Array) -> bytes written (always all of them)
Napi::Value Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ArgInt(info, 0, 0, kMaxInt, "write: fd", &fd)) return env.Undefined();
  if (!info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return ThrowType(env, "write: data must be a Uint8Array or Buffer");
  }
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  const uint8_t* p = data.Data();
  size_t left = data.ByteLength();
  SigpipeGuard guard;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n >= 0) {
      p += n;
      left -= static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      // Nonblocking fd: the contract is "write everything", so wait for room.
      struct pollfd pfd = {fd, POLLOUT, 0};
      if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
        return ThrowErrno(env, "poll", errno);
      }
      continue;
    }
    int err = errno;
    if (err == EPIPE) guard.ConsumeOwnSigpipe();
    return ThrowErrno(env, "write", err);
  }
  return Napi::Number::New(env, static_cast<double>(data.ByteLength()));
}

// tryWrite(fd, Uint8Array) -> bytes written, 0 when a non-blocking fd has
// no room. One write(2): the caller keeps the rest and waits for POLLOUT
// itself (a green thread parks; the process does not block). EPIPE throws,
// never kills (see SigpipeGuard).
Napi::Value TryWrite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ArgInt(info, 0, 0, kMaxInt, "tryWrite: fd", &fd)) return env.Undefined();
  if (!info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return ThrowType(env, "tryWrite: data must be a Uint8Array or Buffer");
  }
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  if (data.ByteLength() == 0) return Napi::Number::New(env, 0);
  SigpipeGuard guard;
  ssize_t n;
  do {
    n = write(fd, data.Data(), data.ByteLength());
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return Napi::Number::New(env, static_cast<double>(n));
  if (errno == EAGAIN) return Napi::Number::New(env, 0);
  int err = errno;
  if (err == EPIPE) guard.ConsumeOwnSigpipe();
  return ThrowErrno(env, "write", err);
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ArgInt(info, 0, 0, kMaxInt, "close: fd", &fd)) return env.Undefined();
  // On Linux the fd is released even when close reports EINTR; retrying
  // could close an fd that another owner has just been given.
  if (close(fd) < 0 && errno != EINTR) return ThrowErrno(env, "close", errno);
  return env.Undefined();
}

Napi::Value SetNonBlocking(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ArgInt(info, 0, 0, kMaxInt, "setNonBlocking: fd", &fd)) {
    return env.Undefined();
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return ThrowErrno(env, "fcntl", errno);
  int want = info[1].ToBoolean().Value() ? (flags | O_NONBLOCK)
                                         : (flags & ~O_NONBLOCK);
  if (want != flags && fcntl(fd, F_SETFL, want) < 0) {
    return ThrowErrno(env, "fcntl", errno);
  }
  return env.Undefined();
}

// poll(fds, events, timeoutMs) -> revents[]; all zero when interrupted
Napi::Value Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray() || !info[1].IsArray()) {
    return ThrowType(env, "poll: fds and events must be arrays");
  }
  Napi::Array fds = info[0].As<Napi::Array>();
  Napi::Array events = info[1].As<Napi::Array>();
  uint32_t n = fds.Length();
  if (events.Length() != n) {
    return ThrowType(env, "poll: fds and events must have the same length");
  }
  int timeout;
  if (!ArgInt(info, 2, -1, kMaxInt, "poll: timeoutMs", &timeout)) {
    return env.Undefined();
  }
  struct pollfd stack[16];
  std::vector<struct pollfd> heap;
  struct pollfd* pfds = stack;
  if (n > 16) {
    heap.resize(n);
    pfds = heap.data();
  }
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value f = fds.Get(i), e = events.Get(i);
    if (!f.IsNumber() || !e.IsNumber()) {
      return ThrowType(env, "poll: fds and events must hold integers");
    }
    pfds[i].fd = f.As<Napi::Number>().Int32Value();
    pfds[i].events = static_cast<short>(e.As<Napi::Number>().Int32Value());
    pfds[i].revents = 0;
  }
  if (poll(pfds, n, timeout) < 0) {
    if (errno != EINTR) return ThrowErrno(env, "poll", errno);
    for (uint32_t i = 0; i < n; i++) pfds[i].revents = 0;
  }
  Napi::Array out = Napi::Array::New(env, n);
  for (uint32_t i = 0; i < n; i++) {
    out.Set(i, Napi::Number::New(env, pfds[i].revents));
  }
  return out;
}

}  // namespace

void InitIo(Napi::Env env, Napi::Object exports) {
  exports.Set("pipe", Napi::Function::New(env, Pipe, "pipe"));
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("tryWrite", Napi::Function::New(env, TryWrite, "tryWrite"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("setNonBlocking",
              Napi::Function::New(env, SetNonBlocking, "setNonBlocking"));
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
  exports.Set("POLLIN", Napi::Number::New(env, POLLIN));
  exports.Set("POLLOUT", Napi::Number::New(env, POLLOUT));
  exports.Set("POLLHUP", Napi::Number::New(env, POLLHUP));
  exports.Set("POLLERR", Napi::Number::New(env, POLLERR));
  exports.Set("POLLNVAL", Napi::Number::New(env, POLLNVAL));
}

}  // namespace wat
