// An empty young generation for the processes forked from this one.
//
// Why: V8 allocates new objects in a small young generation (1 MB here:
// bin/wat-test's --max-semi-space-size=1) and collects it, a scavenge, when
// it is full. A fork server, and every test child forked from it, inherits
// it as full as the parent left it. When that was nearly full, every child
// ran a scavenge of its own (~2.5 ms of copying the parent's live young
// objects into pages it then owned, each a copied page) and 1000 trivial
// tests took 2.0-2.4 s instead of 1.0 (perf: V8's Scavenger in ~12% of all
// samples). Where the parent's allocation happened to stand at the fork
// varied from run to run, so 4 runs in 10 were that slow. Emptied just
// before the fork, each child starts with all of it.
//
// Two collections: the first leaves the objects that survive it in the
// young generation, the second moves them to the old one.
//
// V8 offers embedders a minor GC only under --expose-gc (it checks the flag,
// and a failed check is fatal), so the flag is on for just these calls,
// unless node was started with it (the caller says so), when it stays on.
#include <napi.h>
#include <v8.h>

#include "exports.h"

namespace wat {
namespace {

// emptyYoungGeneration(gcExposed): gcExposed, node runs with --expose-gc.
Napi::Value EmptyYoungGeneration(const Napi::CallbackInfo& info) {
  static const char kOn[] = "--expose-gc";
  static const char kOff[] = "--no-expose-gc";
  const bool exposed = info.Length() > 0 && info[0].ToBoolean().Value();
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (!exposed) v8::V8::SetFlagsFromString(kOn, sizeof kOn - 1);
  for (int i = 0; i < 2; i++) isolate->RequestGarbageCollectionForTesting(v8::Isolate::kMinorGarbageCollection);
  if (!exposed) v8::V8::SetFlagsFromString(kOff, sizeof kOff - 1);
  return info.Env().Undefined();
}

}  // namespace

void InitYoungGen(Napi::Env env, Napi::Object exports) {
  exports.Set("emptyYoungGeneration", Napi::Function::New(env, EmptyYoungGeneration, "emptyYoungGeneration"));
}

}  // namespace wat
