// Test children that do not write V8's call bookkeeping into shared pages.
//
// Why: on every call, V8's code writes bookkeeping into the called
// function's own objects: BaselineOutOfLinePrologue, through which every
// function in baseline (Sparkplug) code is entered, clears the feedback
// vector's OSR urgency, counts the invocation there and resets the bytecode
// array's age; the Call and Construct builtins count each call site's calls
// in the caller's feedback vector. Those objects sit on pages a test child
// shares with the fork server, so the first call of each function, and the
// first call at each call site, copies a page: perf put ~100 of a trivial
// test's ~210 page faults on these stores.
//
// quietBuiltins(), in the fork server only, replaces the pages of V8's
// builtins that hold those stores with copies in which they are no-ops;
// every child inherits them. What a child then does not do: count calls and
// invocations (read by the optimiser, to weigh inlining), keep bytecode
// young (flushing drops only bytecode that a later call compiles again), and
// clear an OSR request on entry (it may enter optimised code one loop
// earlier). Tiering is untouched: the interrupt budget is still spent on
// return and in loops, so a long test still optimises what is hot. No
// JavaScript semantics depend on any of it.
//
// The stores are found by their exact instruction bytes (node 20's V8 11.3,
// x64), in the executable's builtins that V8 maps again next to its code
// for short calls: where the bytes differ (another V8), nothing is patched.
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "exports.h"
#include "maps.h"

namespace wat {
namespace {

constexpr unsigned char kNop5[5] = {0x0f, 0x1f, 0x44, 0x00, 0x00};
constexpr unsigned char kNop8[8] = {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00};

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
constexpr size_t kPrologueStores[] = {30, 47};  // 8 bytes each

bool IsPrologue(const unsigned char* p) {
  for (size_t i = 0; i < kPrologueSize; i++) {
    if (kPrologue[i] >= 0 && p[i] != kPrologue[i]) return false;
  }
  return true;
}

// A call count's increment, as every Call/Construct builtin and bytecode
// handler of this V8 does it (the count is a Smi beside the call's feedback):
//   mov   rY, [vector + slot*8 + 0x3f]     (somewhere before)
//   movabs rX, 0x400000000                 Smi(1 << CallCountField::kShift)
//   add   rX, rY                           (either operand order)
//   mov   [vector + slot*8 + 0x3f], rX     <- the store, 5 bytes (or slot*1,
//                                            the slot's offset already scaled)
// Returns the store's offset from p (at the movabs), or 0.
size_t CallCountStore(const unsigned char* p) {
  if ((p[0] & 0xfe) != 0x48 || p[1] < 0xb8 || p[1] > 0xbf) return 0;  // the immediate matched already
  const int x = ((p[0] & 1) << 3) | (p[1] - 0xb8);
  const unsigned char* add = p + 10;  // REX.W add, register to register
  if ((add[0] & 0xfa) != 0x48 || (add[2] & 0xc0) != 0xc0) return 0;
  const int reg = ((add[0] >> 2 & 1) << 3) | (add[2] >> 3 & 7);
  const int rm = ((add[0] & 1) << 3) | (add[2] & 7);
  if (!((add[1] == 0x03 && reg == x) || (add[1] == 0x01 && rm == x))) return 0;
  const unsigned char* st = add + 3;  // REX.W mov [base + index*scale + 0x3f], rX
  if ((st[0] & 0xf8) != 0x48 || st[1] != 0x89 || (st[2] & 0xc7) != 0x44 || st[4] != 0x3f) return 0;
  if ((((st[0] >> 2 & 1) << 3) | (st[2] >> 3 & 7)) != x) return 0;
  return 13;
}

struct Site {
  unsigned char* at;
  const unsigned char* nop;
  size_t size;
};

// Every store to quiet in [lo, hi): the prologue's only if it is there
// exactly once (else none: this is not the V8 we know). Found by memmem on
// a fixed part (the prologue's first 16 bytes, the Smi's 8), which is ~10
// times faster than trying every byte.
std::vector<Site> FindStores(uintptr_t lo, uintptr_t hi) {
  static constexpr unsigned char kHead[16] = {0x4c, 0x8b, 0x47, 0x27, 0x4d, 0x8b, 0x40, 0x07,
                                              0x41, 0x0f, 0xb7, 0x48, 0x15, 0xf6, 0xc1, 0x3e};
  static constexpr unsigned char kSmi4[8] = {0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00};
  std::vector<Site> sites;
  unsigned char* const first = reinterpret_cast<unsigned char*>(lo);
  const size_t size = hi - lo;
  std::vector<Site> prologue;
  for (size_t at = 0; at + kPrologueSize <= size;) {
    auto* p = static_cast<unsigned char*>(memmem(first + at, size - at, kHead, sizeof kHead));
    if (p == nullptr || p + kPrologueSize > first + size) break;
    if (IsPrologue(p)) {
      for (size_t off : kPrologueStores) prologue.push_back({p + off, kNop8, sizeof kNop8});
    }
    at = p - first + 1;
  }
  if (prologue.size() == 2) sites = prologue;
  // the movabs is 2 bytes before its immediate, the store ends 18 bytes after it
  for (size_t at = 2; at + 16 <= size;) {
    auto* imm = static_cast<unsigned char*>(memmem(first + at, size - at, kSmi4, sizeof kSmi4));
    if (imm == nullptr || imm + 16 > first + size) break;
    if (size_t off = CallCountStore(imm - 2)) sites.push_back({imm - 2 + off, kNop5, sizeof kNop5});
    at = imm - first + 1;
  }
  std::sort(sites.begin(), sites.end(), [](const Site& a, const Site& b) { return a.at < b.at; });
  return sites;
}

// Replaces [lo, hi) by a patched anonymous copy, moved over it in one
// mremap, so no thread ever finds the code missing.
bool PatchRange(uintptr_t lo, uintptr_t hi, const std::vector<Site>& sites) {
  const size_t size = hi - lo;
  void* copy = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED) return false;
  unsigned char* c = static_cast<unsigned char*>(copy);
  memcpy(c, reinterpret_cast<void*>(lo), size);
  for (const Site& s : sites) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(s.at);
    if (a >= lo && a + s.size <= hi) memcpy(c + (a - lo), s.nop, s.size);
  }
  if (mprotect(copy, size, PROT_READ | PROT_EXEC) != 0 ||
      mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, reinterpret_cast<void*>(lo)) != reinterpret_cast<void*>(lo)) {
    munmap(copy, size);
    return false;
  }
  return true;
}

// Sites closer than this share one copied range: each range splits the
// mapping (two more for every fork to copy), each page costs one entry.
constexpr uintptr_t kJoinGap = uintptr_t(16) << 12;

int QuietMapping(uintptr_t lo, uintptr_t hi) {
  const std::vector<Site> sites = FindStores(lo, hi);  // in address order
  const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  int patched = 0;
  size_t i = 0;
  while (i < sites.size()) {
    const uintptr_t from = reinterpret_cast<uintptr_t>(sites[i].at) & ~(page - 1);
    uintptr_t to = from;
    size_t j = i;
    for (; j < sites.size(); j++) {
      const uintptr_t a = reinterpret_cast<uintptr_t>(sites[j].at);
      if (a >= to + kJoinGap && j > i) break;
      to = (a + sites[j].size + page - 1) & ~(page - 1);
    }
    if (PatchRange(from, to, sites)) patched += static_cast<int>(j - i);
    i = j;
  }
  return patched;
}

// quietBuiltins() -> how many stores were turned into no-ops.
Napi::Value QuietBuiltins(const Napi::CallbackInfo& info) {
  char exe[512];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  int patched = 0;
  if (n > 0) {
    exe[n] = '\0';
    // Collected first: patching changes the mappings being read. Only the
    // executable's own file-backed code: node's text once moved into huge
    // pages is anonymous (a patch there would split a huge page), and what
    // runs is V8's second mapping of its builtins anyway.
    std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
    ForEachMapping([&](uintptr_t lo, uintptr_t hi, const char* perms, const char* path) {
      if (strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0) ranges.emplace_back(lo, hi);
    });
    for (const auto& r : ranges) patched += QuietMapping(r.first, r.second);
  }
  return Napi::Number::New(info.Env(), patched);
}

}  // namespace

void InitQuietBuiltins(Napi::Env env, Napi::Object exports) {
  exports.Set("quietBuiltins", Napi::Function::New(env, QuietBuiltins, "quietBuiltins"));
}

}  // namespace wat
