// Argument readers for the C++ side. index.ts already validates and
// normalizes, so these only guard against the binding being called directly:
// a wrong type becomes a TypeError instead of a crash or a syscall on fd 0.
#pragma once

#include <napi.h>

#include <cstdio>

#include "errors.h"

namespace wat {

// Reads info[i] as an int32 in [min, max]; on failure throws a TypeError
// and returns false.
inline bool ArgInt(const Napi::CallbackInfo& info, size_t i, int min, int max,
                   const char* what, int* out) {
  Napi::Value v = info[i];
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d >= min && d <= max && d == static_cast<int>(d)) {
      *out = static_cast<int>(d);
      return true;
    }
  }
  char message[160];
  snprintf(message, sizeof message, "%s must be an integer in [%d, %d]", what,
           min, max);
  ThrowType(info.Env(), message);
  return false;
}

constexpr int kMaxInt = 0x7fffffff;

}  // namespace wat
