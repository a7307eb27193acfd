#include "errors.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>

namespace wat {

const char* ErrnoName(int err) {
  switch (err) {
#define WAT_ERRNO(name) \
  case name:            \
    return #name;
    WAT_ERRNO(EPERM) WAT_ERRNO(ENOENT) WAT_ERRNO(ESRCH) WAT_ERRNO(EINTR)
    WAT_ERRNO(EIO) WAT_ERRNO(ENXIO) WAT_ERRNO(E2BIG) WAT_ERRNO(ENOEXEC)
    WAT_ERRNO(EBADF) WAT_ERRNO(ECHILD) WAT_ERRNO(EAGAIN) WAT_ERRNO(ENOMEM)
    WAT_ERRNO(EACCES) WAT_ERRNO(EFAULT) WAT_ERRNO(EBUSY) WAT_ERRNO(EEXIST)
    WAT_ERRNO(ENODEV) WAT_ERRNO(ENOTDIR) WAT_ERRNO(EISDIR) WAT_ERRNO(EINVAL)
    WAT_ERRNO(ENFILE) WAT_ERRNO(EMFILE) WAT_ERRNO(ENOTTY) WAT_ERRNO(EFBIG)
    WAT_ERRNO(ENOSPC) WAT_ERRNO(ESPIPE) WAT_ERRNO(EROFS) WAT_ERRNO(EPIPE)
    WAT_ERRNO(ERANGE) WAT_ERRNO(ENOSYS) WAT_ERRNO(ETIMEDOUT) WAT_ERRNO(ELOOP)
    WAT_ERRNO(ECONNRESET) WAT_ERRNO(ENOTSOCK) WAT_ERRNO(EOPNOTSUPP)
    WAT_ERRNO(ENAMETOOLONG)
#undef WAT_ERRNO
    default:
      return nullptr;
  }
}

Napi::Error ErrnoError(Napi::Env env, const char* syscall, int err,
                       const char* context) {
  char unknown[16];
  const char* name = ErrnoName(err);
  if (name == nullptr) {
    snprintf(unknown, sizeof unknown, "E%d", err);
    name = unknown;
  }
  char message[256];
  snprintf(message, sizeof message, "%s%s%s(2) failed: %s (%s)",
           context ? context : "", context ? ": " : "", syscall, name,
           strerror(err));
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, name));
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

Napi::Value ThrowErrno(Napi::Env env, const char* syscall, int err,
                       const char* context) {
  ErrnoError(env, syscall, err, context).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowType(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

namespace {

// Appends src to buf at *len without overflowing; no libc formatting.
void Append(char* buf, size_t cap, size_t* len, const char* src) {
  while (*src != '\0' && *len + 1 < cap) buf[(*len)++] = *src++;
}

}  // namespace

void ChildDie(const char* syscall, int err) {
  char buf[160];
  size_t len = 0;
  char digits[12];
  const char* name = ErrnoName(err);
  if (name == nullptr) {
    // Render "E<n>" by hand: snprintf is not async-signal-safe.
    int i = sizeof digits - 1;
    digits[i] = '\0';
    unsigned v = static_cast<unsigned>(err);
    do {
      digits[--i] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0 && i > 1);
    digits[--i] = 'E';
    name = digits + i;
  }
  Append(buf, sizeof buf, &len, "wat-native: forked child setup: ");
  Append(buf, sizeof buf, &len, syscall);
  Append(buf, sizeof buf, &len, "(2) failed: ");
  Append(buf, sizeof buf, &len, name);
  Append(buf, sizeof buf, &len, "\n");
  ssize_t ignored = write(2, buf, len);
  (void)ignored;
  _exit(3);
}

}  // namespace wat
