// Test children that do not write V8's entry bookkeeping into shared pages.
//
// Why: every function running baseline (Sparkplug) code is entered through
// the builtin BaselineOutOfLinePrologue, which on every call clears the
// feedback vector's OSR urgency, counts the invocation there, and resets
// the bytecode array's age. Those objects sit on pages a test child shares
// with the fork server, so the first call of each function in a child
// copies a page or two: ~50 of a trivial test's ~210 page faults (perf: the
// faulting instruction is one of those stores).
//
// quietBuiltins(), in the fork server only, replaces the page holding the
// builtin with a copy in which those stores are no-ops; every child
// inherits it. What a child then does not do: count invocations (the
// optimiser divides call counts by them to weigh inlining: with the count
// frozen, warm call sites weigh a little more), keep bytecode young
// (flushing drops only bytecode a later call compiles again), and clear an
// OSR request on entry (it may enter optimised code a loop earlier).
// Tiering is untouched: the interrupt budget is still spent on return and in
// loops, so a long test still optimises what is hot. No JavaScript semantics
// depend on any of it.
//
// Tried and left: also dropping the Call/Construct builtins' call counts
// (another ~11 faults a test) made a long holon test ~13% slower, since call
// sites first run in a child then count zero and are never inlined.
//
// The prologue is found by its exact bytes (node 20's V8 11.3, x64), in the
// executable's builtins that V8 maps a second time next to its code for
// short calls: where they differ (another V8), nothing is patched.
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

#include "exports.h"
#include "maps.h"

namespace wat {
namespace {

// BaselineOutOfLinePrologue up to its pushes; -1 = any byte (a jump's offset).
constexpr int kPrologue[] = {
    0x4c, 0x8b, 0x47, 0x27,                          // mov  r8, [rdi+0x27]  closure's feedback cell
    0x4d, 0x8b, 0x40, 0x07,                          // mov  r8, [r8+0x7]    its feedback vector
    0x41, 0x0f, 0xb7, 0x48, 0x15,                    // movzx ecx, word [r8+0x15]  flags
    0xf6, 0xc1, 0x3e,                                // test cl, 0x3e
    0x0f, 0x85, -1, -1, -1, -1,                      // jne  flags need processing
    0x45, 0x8a, 0x50, 0x14,                          // mov  r10b, [r8+0x14]  OSR state
    0x41, 0x80, 0xe2, 0x08,                          // and  r10b, 8
    0x45, 0x88, 0x50, 0x14,                          // mov  [r8+0x14], r10b   <- store (OSR urgency)
    0x41, 0xff, 0x40, 0x0b,                          // inc  dword [r8+0xb]    <- store (invocation count)
    0x41, 0x5f,                                      // pop  r15
    0x55, 0x48, 0x89, 0xe5, 0x56, 0x57, 0x50,        // push rbp; mov rbp, rsp; push rsi, rdi, rax
    0x66, 0x41, 0xc7, 0x44, 0x24, 0x33, 0x00, 0x00,  // mov  word [r12+0x33], 0  <- store (bytecode age)
    0x41, 0x54, 0x41, 0x50,                          // push r12; push r8
};
constexpr size_t kPrologueSize = sizeof kPrologue / sizeof kPrologue[0];
constexpr size_t kPrologueStores[] = {30, 47};  // each 8 bytes long
constexpr unsigned char kNop8[8] = {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00};

bool IsPrologue(const unsigned char* p) {
  for (size_t i = 0; i < kPrologueSize; i++) {
    if (kPrologue[i] >= 0 && p[i] != kPrologue[i]) return false;
  }
  return true;
}

// The prologue's first bytes, all fixed: what memmem looks for.
constexpr size_t kHeadSize = 16;
struct Head {
  unsigned char bytes[kHeadSize];
};
constexpr Head PrologueHead() {
  Head h{};
  for (size_t i = 0; i < kHeadSize; i++) h.bytes[i] = static_cast<unsigned char>(kPrologue[i]);
  return h;
}
constexpr bool HeadIsFixed() {
  for (size_t i = 0; i < kHeadSize; i++) {
    if (kPrologue[i] < 0) return false;
  }
  return true;
}
static_assert(HeadIsFixed(), "memmem needs the prologue's first bytes fixed");
constexpr Head kHead = PrologueHead();

// The prologue in [lo, hi) if it is there exactly once, else null (not the
// V8 we know). memmem on its first bytes: ~10 times faster than trying
// every byte.
unsigned char* FindPrologue(uintptr_t lo, uintptr_t hi) {
  unsigned char* const first = reinterpret_cast<unsigned char*>(lo);
  const size_t size = hi - lo;
  unsigned char* found = nullptr;
  for (size_t at = 0; at + kPrologueSize <= size;) {
    auto* p = static_cast<unsigned char*>(memmem(first + at, size - at, kHead.bytes, kHeadSize));
    if (p == nullptr || p + kPrologueSize > first + size) break;
    if (IsPrologue(p)) {
      if (found != nullptr) return nullptr;
      found = p;
    }
    at = p - first + 1;
  }
  return found;
}

// Replaces the page(s) under the prologue by a patched anonymous copy.
bool Quiet(unsigned char* prologue) {
  const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  const uintptr_t at = reinterpret_cast<uintptr_t>(prologue);
  const uintptr_t lo = at & ~(page - 1);
  const uintptr_t hi = (at + kPrologueSize + page - 1) & ~(page - 1);
  const size_t size = hi - lo;
  void* copy = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED) return false;
  unsigned char* c = static_cast<unsigned char*>(copy);
  memcpy(c, reinterpret_cast<void*>(lo), size);
  for (size_t off : kPrologueStores) memcpy(c + (at - lo) + off, kNop8, sizeof kNop8);
  return MoveCodeOver(copy, lo, size);
}

// quietBuiltins() -> how many copies of the prologue were quieted.
Napi::Value QuietBuiltins(const Napi::CallbackInfo& info) {
  char exe[512];
  int quieted = 0;
  if (ExecutablePath(exe)) {
    // Collected first: patching changes the mappings being read. Only the
    // executable's own file-backed code: node's text once moved into huge
    // pages is anonymous (a patch there would split a huge page), and what
    // baseline code calls is V8's second mapping of its builtins anyway.
    std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
    ForEachMapping([&](uintptr_t lo, uintptr_t hi, const char* perms, const char* path) {
      if (strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0) ranges.emplace_back(lo, hi);
    });
    for (const auto& r : ranges) {
      unsigned char* p = FindPrologue(r.first, r.second);
      if (p != nullptr && Quiet(p)) quieted++;
    }
  }
  return Napi::Number::New(info.Env(), quieted);
}

}  // namespace

void InitQuietBuiltins(Napi::Env env, Napi::Object exports) {
  exports.Set("quietBuiltins", Napi::Function::New(env, QuietBuiltins, "quietBuiltins"));
}

}  // namespace wat
