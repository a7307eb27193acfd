// Module registration only; the syscalls live in fork.cc, io.cc, proc.cc,
// wait.cc, signals.cc, server.cc, huge-heap.cc and the rest, so each file
// has one job.
#include <napi.h>

#include "exports.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  wat::InitFork(env, exports);
  wat::InitIo(env, exports);
  wat::InitProc(env, exports);
  wat::InitWait(env, exports);
  wat::InitSignals(env, exports);
  wat::InitServer(env, exports);
  wat::InitHugeHeap(env, exports);
  wat::InitFolioPack(env, exports);
  wat::InitQuietBuiltins(env, exports);
  wat::InitYoungGen(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(wat_native, Init)
