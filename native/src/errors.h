// Errors shared by every syscall wrapper. One message shape everywhere:
//   "<syscall>(2) failed: <ENAME> (<strerror>)"  with .code/.errno/.syscall set,
// so callers can branch on err.code the way they do for Node's own fs errors.
#pragma once

#include <napi.h>

namespace wat {

// "EAGAIN" for EAGAIN; "E<number>" for anything not in our table. Our own
// table instead of strerrorname_np() so the addon loads on glibc < 2.32.
const char* ErrnoName(int err);

// The error object itself, for rejecting promises.
// context, when given, is prefixed: "<context>: <syscall>(2) failed: ...".
Napi::Error ErrnoError(Napi::Env env, const char* syscall, int err,
                       const char* context = nullptr);

// Throws (as a pending JS exception) and returns undefined, so a wrapper can
// write `return ThrowErrno(env, "read", errno);`.
Napi::Value ThrowErrno(Napi::Env env, const char* syscall, int err,
                       const char* context = nullptr);

// For argument mistakes: a TypeError carrying the function name.
Napi::Value ThrowType(Napi::Env env, const char* message);

// Async-safe: formats without malloc/stdio. Used in the forked child, where
// the only safe ways out are write(2) and _exit(2).
[[noreturn]] void ChildDie(const char* syscall, int err);

}  // namespace wat
