// Each source file registers its own functions; addon.cc only calls these.
#pragma once

#include <napi.h>

namespace wat {

void InitFork(Napi::Env env, Napi::Object exports);  // fork.cc
void InitIo(Napi::Env env, Napi::Object exports);    // io.cc
void InitProc(Napi::Env env, Napi::Object exports);  // proc.cc
void InitWait(Napi::Env env, Napi::Object exports);  // wait.cc
void InitSignals(Napi::Env env, Napi::Object exports);  // signals.cc
void InitServer(Napi::Env env, Napi::Object exports);   // server.cc
void InitHugeHeap(Napi::Env env, Napi::Object exports);  // huge-heap.cc
void InitFolioPack(Napi::Env env, Napi::Object exports);  // folio-pack.cc
void InitQuietBuiltins(Napi::Env env, Napi::Object exports);  // quiet-builtins.cc
void InitYoungGen(Napi::Env env, Napi::Object exports);  // young-gen.cc

}  // namespace wat
