// copyFilePagesOnFork(): a forked child starts with this process's pages of
// the code it maps from files (libraries, the rest of node's text), instead
// of faulting each one in again.
//
// Why: fork() copies no page-table entry of a private file mapping nobody
// ever wrote — the kernel expects the child to fault them in from the page
// cache — so every test child took ~36 faults in libc's and libstdc++'s
// code, each mapping a few pages around the one it needed, and tore them
// down again at exit. A private mapping holding one written page has an
// anon_vma, and fork copies all of its entries. So one byte of each code
// mapping is rewritten with its own value through /proc/self/mem, which
// writes where the mapping itself may not (the path a debugger's breakpoint
// takes): the mapping then holds one private copy of a page, and every page
// this process has touched in it is inherited. The contents never change.
// Only code: node's read-only data, done the same way, made each fork copy
// ~5,500 more entries than children ever fault in, and runs got slower.

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "exports.h"
#include "maps.h"

namespace wat {
namespace {

// copyFilePagesOnFork() -> how many mappings now pass their pages on.
Napi::Value CopyFilePagesOnFork(const Napi::CallbackInfo& info) {
  int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  if (mem < 0) return Napi::Number::New(info.Env(), 0);
  int count = 0;
  ForEachMapping([&](uintptr_t lo, uintptr_t hi, const char* perms, const char* path) {
    const bool code = strcmp(perms, "r-xp") == 0;
    if (!code || path[0] != '/' || strncmp(path, "/dev/", 5) == 0) return;
    const unsigned char byte = *reinterpret_cast<volatile const unsigned char*>(lo);
    if (pwrite(mem, &byte, 1, static_cast<off_t>(lo)) == 1) count++;
  });
  close(mem);
  return Napi::Number::New(info.Env(), count);
}

}  // namespace

void InitFilePages(Napi::Env env, Napi::Object exports) {
  exports.Set("copyFilePagesOnFork", Napi::Function::New(env, CopyFilePagesOnFork, "copyFilePagesOnFork"));
}

}  // namespace wat
