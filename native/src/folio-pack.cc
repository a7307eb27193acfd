// Pieces of huge pages for what a fork server still holds in small pages.
//
// Why: after the heap window and the code are in huge pages (huge-heap.cc),
// the server still has ~1,700 resident 4 KiB pages that no 2 MiB page can
// cover: malloc's heap beyond its huge middle, the heap pages V8 mapped
// before useHugePageHeap(), V8's code pages, node's bss. A fork copies one
// entry per page and the child's exit removes it, ~150 ns each here. Since
// Linux 6.9 both walks take runs of entries that map consecutive pages of
// one large folio in a batch, ~35 ns an entry (measured: 20 MB mapped by
// small pages 1,030 us per fork + exit, by pieces of huge pages 450 us, as
// huge pages 270 us). So each run of resident small pages is copied into a
// staging area of huge pages and that copy is moved over the original
// (mremap), piece by piece: the same bytes at the same addresses, now
// pieces of a few huge folios. On an older kernel this costs a copy at
// start-up and changes nothing else.
//
// Only in the fork server, which runs nothing else while this happens: a
// page written between its copy and its move would lose that write. So the
// list of runs is built first (reading /proc allocates), and the moving
// loop only calls memcpy and system calls.
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exports.h"
#include "maps.h"

namespace wat {
namespace {

constexpr uintptr_t kPage = 4096;
// Shorter runs gain too little from a batch to be worth a mapping of their own.
constexpr uintptr_t kMinRun = 8 * kPage;
// Holes in a run, in pages, that are moved along rather than left (FindRuns).
constexpr size_t kMaxGap = 16;

struct Run {
  uintptr_t lo, hi;
  int prot;
};

struct Vma {
  uintptr_t lo, hi;
  int prot;
};

// VmFlags a mapping may have and still be moved: readable, writable,
// executable, the may-* bits, accounting, no-huge-page advice, soft-dirty,
// and don't-copy (cleared for every mapping before the server forks,
// inherit.cc). Anything else keeps its mapping as it is: wipe-on-fork,
// locked, don't-dump secrets, I/O, growing stacks, shared, userfaultfd,
// sealed..., and huge-page advice ("hg"), which marks the heap window
// (huge already) and every piece moved here before.
bool MovableFlags(const char* flags) {
  static const char* const kAllowed[] = {"rd", "wr", "ex", "mr", "mw", "me", "ac", "nr", "nh", "dc", "sd"};
  for (const char* f = flags; *f != '\0';) {
    while (*f == ' ' || *f == '\n') f++;
    if (*f == '\0') break;
    bool allowed = false;
    for (const char* a : kAllowed) allowed = allowed || (f[0] == a[0] && f[1] == a[1]);
    if (!allowed) return false;
    f += 2;
  }
  return true;
}

// Private anonymous mappings, malloc's [heap] among them, that may move.
int ReadCandidates(Vma* out, int cap) {
  int n = 0;
  ForEachMappingWithFlags([&](uintptr_t lo, uintptr_t hi, const char* perms, const char* path, const char* flags) {
    const bool anon = path[0] == '\0' || strcmp(path, "[heap]") == 0;
    if (n < cap && anon && perms[0] == 'r' && perms[1] == 'w' && perms[3] == 'p' && MovableFlags(flags)) {
      out[n++] = {lo, hi, PROT_READ | PROT_WRITE | (perms[2] == 'x' ? PROT_EXEC : 0)};
    }
  });
  return n;
}

// Appends the runs of resident pages of the mapping, block by 2 MiB block,
// leaving out whole resident blocks (they may be huge pages already, which
// is better). A gap of up to kMaxGap pages inside a run, or between a run
// and the edge of its block, is moved along (as zeros, resident from then
// on): each hole left between two pieces would split the mapping, and a
// mapping costs every fork and exit more than ~100 batched entries
// (measured: 100 extra small mappings, +4 us each per fork and exit).
int FindRuns(const Vma& v, Run* runs, int n, int cap) {
  unsigned char vec[kHuge / kPage];
  for (uintptr_t block = v.lo & ~(kHuge - 1); block < v.hi && n < cap; block += kHuge) {
    const uintptr_t lo = block > v.lo ? block : v.lo;
    const uintptr_t hi = block + kHuge < v.hi ? block + kHuge : v.hi;
    if (mincore(reinterpret_cast<void*>(lo), hi - lo, vec) != 0) continue;
    const size_t pages = (hi - lo) / kPage;
    size_t resident = 0;
    for (size_t i = 0; i < pages; i++) resident += vec[i] & 1;
    if (resident == 0 || (pages == kHuge / kPage && resident == pages)) continue;
    bool first = true;
    for (size_t i = 0; i < pages && n < cap;) {
      if (!(vec[i] & 1)) {
        i++;
        continue;
      }
      // a run: resident pages and gaps of at most kMaxGap between them
      const size_t start = first && i <= kMaxGap ? 0 : i;
      first = false;
      size_t end = i;
      for (size_t j = i; j < pages; j++) {
        if (!(vec[j] & 1)) continue;
        if (j - end > kMaxGap) break;
        end = j + 1;
      }
      if (pages - end <= kMaxGap) end = pages;
      if ((end - start) * kPage >= kMinRun) runs[n++] = {lo + start * kPage, lo + end * kPage, v.prot};
      i = end;
    }
  }
  return n;
}

// packSmallPages() -> bytes moved into pieces of huge pages.
Napi::Value PackSmallPages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Vma vmas[256];
  Run runs[1024];
  const int nv = ReadCandidates(vmas, 256);
  int nr = 0;
  for (int i = 0; i < nv; i++) nr = FindRuns(vmas[i], runs, nr, 1024);
  uintptr_t total = 0;
  for (int i = 0; i < nr; i++) total += runs[i].hi - runs[i].lo;
  if (total == 0) return Napi::Number::New(env, 0);

  const uintptr_t size = (total + kHuge - 1) & ~(kHuge - 1);
  void* staging = MapHugeAligned(size, 0);
  if (staging == nullptr) return Napi::Number::New(env, 0);
  if (madvise(staging, size, MADV_HUGEPAGE) != 0) {
    munmap(staging, size);
    return Napi::Number::New(env, 0);
  }
  const uintptr_t stage = reinterpret_cast<uintptr_t>(staging);

  // From here: no allocation, nothing written but the pages being moved.
  uintptr_t at = stage;
  double moved = 0;
  for (int i = 0; i < nr; i++) {
    const Run& run = runs[i];
    const size_t len = run.hi - run.lo;
    void* piece = reinterpret_cast<void*>(at);
    memcpy(piece, reinterpret_cast<void*>(run.lo), len);
    at += len;
    if (run.prot != (PROT_READ | PROT_WRITE) && mprotect(piece, len, run.prot) != 0) continue;
    // on failure the original stays where it was, untouched
    if (mremap(piece, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, reinterpret_cast<void*>(run.lo)) == reinterpret_cast<void*>(run.lo)) {
      moved += static_cast<double>(len);
    }
  }
  // what no run used, and pieces that did not move
  munmap(staging, size);
  return Napi::Number::New(env, moved);
}

}  // namespace

void InitFolioPack(Napi::Env env, Napi::Object exports) {
  exports.Set("packSmallPages", Napi::Function::New(env, PackSmallPages, "packSmallPages"));
}

}  // namespace wat
