// Huge pages for the heap a fork server shares with its children.
//
// Why: a fork copies one page-table entry per resident 4 KiB page and the
// child's exit tears each one down again; for the ~25 MB a warm wat-test
// parent holds that is most of a test's cost (perf: copy_page_range in the
// server, unmap_page_range in every child). The same memory in 2 MiB pages
// is ~100 times fewer entries: measured here, fork + exit + wait of a 25 MB
// process fell from 1.3 ms to 0.3 ms.
//
// What stands in the way: V8 maps each 256 KiB heap page on its own, at a
// random address (an mmap hint), so no 2 MiB range is ever inside one
// mapping. useHugePageHeap() redirects those hinted anonymous mappings, by
// patching the mmap64/munmap entries of the binary that contains V8 (its
// GOT), to consecutive addresses in one window that is mapped ahead of V8 in
// whole 2 MiB chunks advised huge: the first write into a chunk allocates a
// huge page, so the heap is huge from the start, and the fork server has
// little left to do (collapsing it there took ~70 ms before the first fork).
// V8 gets its memory at another address, which a hint allows, and read-write
// a little before it asks (below). collapseToHugePages() then, in the fork
// server only, turns what is still small into huge pages (MADV_COLLAPSE,
// Linux 6.1+: malloc's heap, ranges the parent wrote after an earlier fork
// server shared them) and moves the executable's code into huge pages too.
//
// Anything unexpected (no GOT entry, no free window, an old kernel) leaves
// V8's allocation as it was: only speed depends on this, never behaviour.
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mutex>

#include "exports.h"
#include "maps.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

namespace wat {
namespace {

using MmapFn = void* (*)(void*, size_t, int, int, int, off_t);
using MunmapFn = int (*)(void*, size_t);

constexpr uintptr_t kV8Page = uintptr_t(256) << 10;
// Larger requests are reservations (V8's code range, cppgc's cage) that pick
// their own placement; they keep the hint.
constexpr size_t kMaxRedirected = size_t(8) << 20;
constexpr size_t kWindow = size_t(1) << 40;  // address space only

MmapFn g_mmap = nullptr;
MunmapFn g_munmap = nullptr;
std::mutex g_lock;
uintptr_t g_window_lo = 0;
uintptr_t g_window_hi = 0;
// [g_window_lo, g_mapped) is mapped, in whole 2 MiB chunks; of it,
// [g_cursor, g_mapped) was never handed out: untouched, it reads as zeros.
uintptr_t g_mapped = 0;
uintptr_t g_cursor = 0;
uintptr_t g_newest = 0;  // where the newest hand-out starts

// Chunk flags: read-write, advised huge, and not inherited (as V8 marks its
// own pages; forks undo it, native/src/inherit.cc). The first write into a
// chunk then allocates a whole huge page, and V8's own madvise(DONTFORK)
// and mprotect(READ|WRITE) on what it gets change nothing, so split nothing.
bool PrepareChunks(void* at, size_t len) {
  return madvise(at, len, MADV_HUGEPAGE) == 0 && madvise(at, len, MADV_DONTFORK) == 0;
}

// Maps chunks up to `end` (within the window).
bool MapChunksTo(uintptr_t end) {
  end = (end + kHuge - 1) & ~(kHuge - 1);
  if (end <= g_mapped) return true;
  if (end > g_window_hi) return false;
  const size_t len = end - g_mapped;
  void* at = reinterpret_cast<void*>(g_mapped);
  void* got = g_mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (got != at) {
    if (got != MAP_FAILED) g_munmap(got, len);  // pre-4.17 kernels ignore the flag
    return false;
  }
  PrepareChunks(got, len);
  g_mapped = end;
  return true;
}

// V8 asks for its pages PROT_NONE and makes the part it keeps read-write
// before touching it; here they are read-write from the start, which is the
// one liberty taken. Code (PROT_EXEC) keeps its own placement.
void* RedirectedMmap(void* hint, size_t len, int prot, int flags, int fd, off_t off) {
  const bool redirect = hint != nullptr && fd == -1 && len <= kMaxRedirected && !(prot & PROT_EXEC) &&
                        (flags & MAP_ANONYMOUS) && (flags & MAP_PRIVATE) &&
                        !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE));
  if (redirect) {
    std::lock_guard<std::mutex> guard(g_lock);
    const uintptr_t at = (g_cursor + kV8Page - 1) & ~(kV8Page - 1);
    if (MapChunksTo(at + len)) {
      g_cursor = at + len;
      g_newest = at;
      return reinterpret_cast<void*>(at);
    }
  }
  return g_mmap(hint, len, prot, flags, fd, off);
}

int RedirectedMunmap(void* addr, size_t len) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  std::lock_guard<std::mutex> guard(g_lock);
  if (a < g_window_lo || a + len > g_mapped || len == 0) return g_munmap(addr, len);
  // V8 maps more than a page to align it and trims the rest off the newest
  // hand-out right away, before using any of it: untouched, it is free again.
  if (a > g_newest && a + len == g_cursor) {
    g_cursor = a;
    return 0;
  }
  // Memory V8 used and is done with: back to the system, as munmap would do,
  // but the range stays a chunk (fresh zeros) rather than a hole, so the
  // mappings around it stay one.
  void* fresh = g_mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  if (fresh != addr) return -1;
  PrepareChunks(addr, len);
  if (a + len == g_cursor) g_cursor = a;
  return 0;
}

// Writes `fn` into every GOT slot of object `info` that imports `name`.
void PatchSlots(dl_phdr_info* info, const char* name, void* fn, int* patched) {
  const ElfW(Addr) base = info->dlpi_addr;
  const ElfW(Dyn)* dyn = nullptr;
  uintptr_t relro_lo = 0, relro_hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_DYNAMIC) dyn = reinterpret_cast<const ElfW(Dyn)*>(base + ph.p_vaddr);
    if (ph.p_type == PT_GNU_RELRO) {
      relro_lo = base + ph.p_vaddr;
      relro_hi = relro_lo + ph.p_memsz;
    }
  }
  if (dyn == nullptr) return;
  // ld.so rewrites some of these to absolute addresses, some stay relative.
  auto at = [base](ElfW(Addr) p) { return p < base ? base + p : p; };
  const ElfW(Sym)* symtab = nullptr;
  const char* strtab = nullptr;
  const ElfW(Rela)* tables[2] = {nullptr, nullptr};
  size_t sizes[2] = {0, 0};
  for (const ElfW(Dyn)* d = dyn; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_SYMTAB: symtab = reinterpret_cast<const ElfW(Sym)*>(at(d->d_un.d_ptr)); break;
      case DT_STRTAB: strtab = reinterpret_cast<const char*>(at(d->d_un.d_ptr)); break;
      case DT_JMPREL: tables[0] = reinterpret_cast<const ElfW(Rela)*>(at(d->d_un.d_ptr)); break;
      case DT_PLTRELSZ: sizes[0] = d->d_un.d_val; break;
      case DT_RELA: tables[1] = reinterpret_cast<const ElfW(Rela)*>(at(d->d_un.d_ptr)); break;
      case DT_RELASZ: sizes[1] = d->d_un.d_val; break;
    }
  }
  if (symtab == nullptr || strtab == nullptr) return;
  const long page = sysconf(_SC_PAGESIZE);
  for (int t = 0; t < 2; t++) {
    if (tables[t] == nullptr) continue;
    for (size_t i = 0; i < sizes[t] / sizeof(ElfW(Rela)); i++) {
      const ElfW(Rela)& r = tables[t][i];
      const unsigned type = ELF64_R_TYPE(r.r_info);
      if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) continue;
      if (strcmp(strtab + symtab[ELF64_R_SYM(r.r_info)].st_name, name) != 0) continue;
      void** slot = reinterpret_cast<void**>(base + r.r_offset);
      const uintptr_t s = reinterpret_cast<uintptr_t>(slot);
      const bool readonly = s >= relro_lo && s < relro_hi;
      void* pg = reinterpret_cast<void*>(s & ~static_cast<uintptr_t>(page - 1));
      if (readonly && mprotect(pg, page, PROT_READ | PROT_WRITE) < 0) continue;
      *slot = fn;
      if (readonly) mprotect(pg, page, PROT_READ);
      (*patched)++;
    }
  }
}

// The executable itself, or a libnode shared library: wherever V8 lives.
bool HoldsV8(const dl_phdr_info* info, size_t index) {
  if (index == 0) return true;
  const char* name = info->dlpi_name;
  return name != nullptr && strstr(name, "libnode") != nullptr;
}

bool Install() {
#if !defined(__x86_64__)
  return false;  // the relocation types above are x86-64's
#else
  // A window of free address space, found by the kernel, far below the
  // libraries it keeps placing top-down.
  void* probe = mmap(reinterpret_cast<void*>(uintptr_t(0x200000000000)), kWindow, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (probe == MAP_FAILED) return false;
  munmap(probe, kWindow);
  g_window_lo = (reinterpret_cast<uintptr_t>(probe) + kHuge - 1) & ~(kHuge - 1);
  g_window_hi = reinterpret_cast<uintptr_t>(probe) + kWindow;
  g_cursor = g_mapped = g_newest = g_window_lo;
  g_mmap = reinterpret_cast<MmapFn>(dlsym(RTLD_DEFAULT, "mmap64"));
  g_munmap = reinterpret_cast<MunmapFn>(dlsym(RTLD_DEFAULT, "munmap"));
  if (g_mmap == nullptr || g_munmap == nullptr) return false;
  int patched = 0;
  struct Ctx {
    int* patched;
    size_t index;
  } ctx{&patched, 0};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto* c = static_cast<Ctx*>(data);
        if (HoldsV8(info, c->index++)) {
          // munmap first: a redirected mapping must never meet the plain munmap.
          PatchSlots(info, "munmap", reinterpret_cast<void*>(RedirectedMunmap), c->patched);
          PatchSlots(info, "mmap64", reinterpret_cast<void*>(RedirectedMmap), c->patched);
          PatchSlots(info, "mmap", reinterpret_cast<void*>(RedirectedMmap), c->patched);
        }
        return 0;
      },
      &ctx);
  return patched > 0;
#endif
}

// useHugePageHeap() -> whether V8's page mappings now go to the window.
Napi::Value UseHugePageHeap(const Napi::CallbackInfo& info) {
  static int state = -1;  // once per process
  if (state < 0) state = Install() ? 1 : 0;
  return Napi::Boolean::New(info.Env(), state == 1);
}

// Whether any page of the 2 MiB at `a` is resident: collapsing a range
// nothing touched would fill it with a huge page of zeros.
bool AnyResident(uintptr_t a) {
  unsigned char vec[kHuge / 4096];
  if (mincore(reinterpret_cast<void*>(a), kHuge, vec) != 0) return true;
  for (unsigned char v : vec)
    if (v & 1) return true;
  return false;
}

// Every whole 2 MiB range of [lo, hi) into a huge page; returns the bytes.
// Ranges already huge (the heap's chunks, written first after they were
// mapped) cost the kernel a look, not a copy.
double CollapseRange(uintptr_t lo, uintptr_t hi) {
  double collapsed = 0;
  for (uintptr_t a = (lo + kHuge - 1) & ~(kHuge - 1); a + kHuge <= hi; a += kHuge) {
    if (!AnyResident(a)) continue;
    if (madvise(reinterpret_cast<void*>(a), kHuge, MADV_COLLAPSE) == 0) collapsed += kHuge;
    else if (errno == EINVAL) break;  // no MADV_COLLAPSE here (Linux < 6.1)
  }
  return collapsed;
}

// The executable's code into huge pages, as node's own --use-largepages
// does, but in one copy: the 2 MiB-aligned middle of the text is copied
// into anonymous memory advised huge (each first write there allocates a
// huge page), made executable, and moved over the original by one
// mremap, so the code is never missing. A child then inherits the text as a
// few huge-page entries instead of faulting in the pages it runs from the
// file (fork never copies file-backed entries). Done only if the copy is in
// huge pages (code in small anonymous pages would cost every fork an entry
// per page, which the file-backed code does not) and anonymous memory may
// become executable here (no W^X policy in the way). Once done, the text is
// no longer the file's, and a second call finds nothing to do.
struct Text {
  uintptr_t lo = 0;
  size_t size = 0;
};

Text FindText() {
  char exe[512];
  if (!ExecutablePath(exe)) return {};
  uintptr_t lo = 0, hi = 0;
  ForEachMapping([&](uintptr_t a, uintptr_t b, const char* perms, const char* path) {
    if (strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0 && b - a > hi - lo) {
      lo = a;
      hi = b;
    }
  });
  lo = (lo + kHuge - 1) & ~(kHuge - 1);
  hi &= ~(kHuge - 1);
  if (hi <= lo) return {};
  return {lo, hi - lo};
}

// The copy, in huge pages, or null. Only syscalls and memcpy: it may run on
// a thread of its own while the process goes on (and forks).
void* CopyText(Text t) {
  void* copy = MapHugeAligned(t.size, MAP_NORESERVE);
  if (copy == nullptr) return nullptr;
  madvise(copy, t.size, MADV_HUGEPAGE);
  memcpy(copy, reinterpret_cast<void*>(t.lo), t.size);
  if (madvise(copy, t.size, MADV_COLLAPSE) != 0) {
    munmap(copy, t.size);
    return nullptr;
  }
  return copy;
}

// Set once the text is in huge pages; a fork inherits it, so the fork
// server does not read its mappings again to find that out.
bool g_text_moved = false;

// Moves the copy over the text; returns the bytes (0, and the copy gone, if
// the kernel refuses).
double InstallText(Text t, void* copy) {
  if (copy == nullptr || !MoveCodeOver(copy, t.lo, t.size)) return 0;
  g_text_moved = true;
  return static_cast<double>(t.size);
}

double RemapTextToHugePages() {
  if (g_text_moved) return 0;
  const Text t = FindText();
  return t.size == 0 ? 0 : InstallText(t, CopyText(t));
}

// The same, with the copy made on a thread of its own, started early: the
// copy allocates 12 huge pages, and on this VM a huge page that the guest
// has handed back to the host costs ~5 ms at its first touch (0.24 ms when
// it was freed a moment ago). On the core wat-test's start-up leaves idle,
// that is off the path to the first test. The thread only makes syscalls
// and copies, so a fork meanwhile is safe; the copy is installed by the
// process that started it.
struct TextCopy {
  Text text;
  pthread_t thread;
  // The thread's own small stack, unmapped after the join (a stack glibc
  // allocated would stay mapped in its cache, one more mapping every fork copies).
  void* stack = nullptr;
  pid_t owner = 0;
  void* copy = nullptr;
  bool joined = false;
};
constexpr size_t kTextCopyStack = size_t(64) << 10;
TextCopy g_text_copy;

// Then the same thread touches (every 4 KiB, so that it also works where
// a huge page is refused) and frees kWarmHugePages more huge pages: the
// kernel hands the ones freed last to the next huge-page allocations, among
// them the fork server's (collapsing malloc's heap and packing take ~9),
// which then meet fewer pages the host took back. The server's preparation
// over 45 alternating runs: 5 of 20 and 17 of 25 took 50-92 ms without
// this, 0 of 20 and 4 of 25 with it (the rest 10-26 ms either way).
constexpr size_t kWarmHugePages = 12;

void WarmHugePages() {
  const size_t size = kWarmHugePages * kHuge;
  void* p = MapHugeAligned(size, MAP_NORESERVE);
  if (p == nullptr) return;
  madvise(p, size, MADV_HUGEPAGE);
  for (size_t at = 0; at < size; at += 4096) static_cast<volatile char*>(p)[at] = 1;
  munmap(p, size);
}

void* TextCopyThread(void*) {
  g_text_copy.copy = CopyText(g_text_copy.text);
  if (g_text_copy.copy != nullptr) WarmHugePages();
  return nullptr;
}

// startTextCopy() -> whether a copy is under way.
Napi::Value StartTextCopy(const Napi::CallbackInfo& info) {
  bool started = false;
  if (g_text_copy.owner == 0) {
    g_text_copy.text = FindText();
    void* stack = mmap(nullptr, kTextCopyStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    pthread_attr_t attr;
    if (g_text_copy.text.size > 0 && stack != MAP_FAILED && pthread_attr_init(&attr) == 0) {
      if (pthread_attr_setstack(&attr, stack, kTextCopyStack) == 0 &&
          pthread_create(&g_text_copy.thread, &attr, TextCopyThread, nullptr) == 0) {
        g_text_copy.owner = getpid();
        g_text_copy.stack = stack;
        started = true;
      }
      pthread_attr_destroy(&attr);
    }
    if (!started && stack != MAP_FAILED) munmap(stack, kTextCopyStack);
  }
  return Napi::Boolean::New(info.Env(), started);
}

// finishTextCopy() -> bytes of code now in huge pages: waits for the copy
// (if it is not done yet) and moves it over the text. A process forked
// meanwhile (which has no such thread) installs nothing and returns 0.
Napi::Value FinishTextCopy(const Napi::CallbackInfo& info) {
  double moved = 0;
  if (g_text_copy.owner != 0 && !g_text_copy.joined) {
    g_text_copy.joined = true;
    if (g_text_copy.owner == getpid()) {
      pthread_join(g_text_copy.thread, nullptr);
      munmap(g_text_copy.stack, kTextCopyStack);
      moved = InstallText(g_text_copy.text, g_text_copy.copy);
    }
    // in a fork, the thread's mapping (if any yet) is left: it holds no pages
    // anyone runs, and its address is not known for sure here
  }
  return Napi::Number::New(info.Env(), moved);
}

// collapseToHugePages() -> bytes now in huge pages (0 when the kernel cannot).
Napi::Value CollapseToHugePages(const Napi::CallbackInfo& info) {
  double collapsed = 0;
  ForEachMapping([&](uintptr_t lo, uintptr_t hi, const char* perms, const char* path) {
    const bool in_window = g_window_lo != 0 && lo >= g_window_lo && hi <= g_window_hi;
    if (strcmp(perms, "rw-p") == 0 && (in_window || strcmp(path, "[heap]") == 0)) collapsed += CollapseRange(lo, hi);
  });
  // Only where collapsing works: code left in small anonymous pages would
  // cost every fork an entry per page, which the file-backed code does not.
  if (collapsed > 0) collapsed += RemapTextToHugePages();
  return Napi::Number::New(info.Env(), collapsed);
}

}  // namespace

void InitHugeHeap(Napi::Env env, Napi::Object exports) {
  exports.Set("useHugePageHeap", Napi::Function::New(env, UseHugePageHeap, "useHugePageHeap"));
  exports.Set("collapseToHugePages", Napi::Function::New(env, CollapseToHugePages, "collapseToHugePages"));
  exports.Set("startTextCopy", Napi::Function::New(env, StartTextCopy, "startTextCopy"));
  exports.Set("finishTextCopy", Napi::Function::New(env, FinishTextCopy, "finishTextCopy"));
}

}  // namespace wat
