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
// mapping and nothing can be collapsed. useHugePageHeap() redirects those
// hinted anonymous mappings, by patching the mmap64/munmap entries of the
// binary that contains V8 (its GOT), to consecutive addresses in one window,
// where they merge into large mappings. V8 gets memory exactly as it asked,
// only at another address, which a hint allows. collapseHeap() then turns
// every whole 2 MiB range of that window and of malloc's heap into a huge
// page (MADV_COLLAPSE, Linux 6.1+), and moves the executable's code into
// huge pages too — in the fork server only, right before it starts forking;
// the busy parent keeps its small pages (writing a shared huge page would
// split it) and pays nothing at start-up.
//
// Anything unexpected (no GOT entry, no free window, an old kernel) leaves
// V8's allocation as it was: only speed depends on this, never behaviour.
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>
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

constexpr uintptr_t kHuge = uintptr_t(2) << 20;
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
uintptr_t g_cursor = 0;  // the next free address; everything below is handed out

void* RedirectedMmap(void* hint, size_t len, int prot, int flags, int fd, off_t off) {
  const bool redirect = hint != nullptr && fd == -1 && len <= kMaxRedirected &&
                        (flags & MAP_ANONYMOUS) && (flags & MAP_PRIVATE) &&
                        !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE));
  if (redirect) {
    std::lock_guard<std::mutex> guard(g_lock);
    // Aligned like a V8 page, so V8 trims nothing in front; what it trims
    // behind comes back through RedirectedMunmap and the cursor moves back.
    for (int attempt = 0; attempt < 4; attempt++) {
      uintptr_t at = (g_cursor + kV8Page - 1) & ~(kV8Page - 1);
      if (at + len > g_window_hi) break;
      void* got = g_mmap(reinterpret_cast<void*>(at), len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);
      if (got == reinterpret_cast<void*>(at)) {
        g_cursor = at + len;
        return got;
      }
      // Pre-4.17 kernels ignore the flag and may place it elsewhere.
      if (got != MAP_FAILED) g_munmap(got, len);
      if (got != MAP_FAILED || errno != EEXIST) break;
      g_cursor = at + len;  // something else lives there: step over it
    }
  }
  return g_mmap(hint, len, prot, flags, fd, off);
}

// A tail V8 trims off its newest mapping moves the cursor back. But a large
// object's page ends anywhere (4 KiB granularity) while the next page must
// start 256 KiB-aligned: the gap between them would split the window into
// mappings too short for a huge page. So the gap stays mapped as padding
// (never touched, so never resident) and goes when the page before it goes.
std::map<uintptr_t, size_t> g_padding;  // start -> length, each right after a page

int RedirectedMunmap(void* addr, size_t len) {
  uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  {
    std::lock_guard<std::mutex> guard(g_lock);
    if (a >= g_window_lo && a < g_window_hi) {
      if (a + len == g_cursor) {
        const uintptr_t aligned = (a + kV8Page - 1) & ~(kV8Page - 1);
        g_cursor = aligned;
        if (aligned > a) {
          // Read-write like the pages around it once V8 commits them, so
          // that they merge into one mapping; untouched, it costs no memory.
          mprotect(addr, aligned - a, PROT_READ | PROT_WRITE);
          g_padding[a] = aligned - a;
          if (aligned >= a + len) return 0;
          addr = reinterpret_cast<void*>(aligned);
          len = a + len - aligned;
        }
      } else {
        auto pad = g_padding.find(a + len);
        if (pad != g_padding.end()) {
          len += pad->second;
          g_padding.erase(pad);
        }
      }
    }
  }
  return g_munmap(addr, len);
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
  g_cursor = g_window_lo;
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

// Every whole 2 MiB range of [lo, hi) into a huge page; returns the bytes.
double CollapseRange(uintptr_t lo, uintptr_t hi) {
  double collapsed = 0;
  for (uintptr_t a = (lo + kHuge - 1) & ~(kHuge - 1); a + kHuge <= hi; a += kHuge) {
    if (madvise(reinterpret_cast<void*>(a), kHuge, MADV_COLLAPSE) == 0) collapsed += kHuge;
    else if (errno == EINVAL) break;  // no MADV_COLLAPSE here (Linux < 6.1)
  }
  return collapsed;
}

// The executable's code, as node's own --use-largepages does it: copy the
// 2 MiB-aligned middle of the text aside, map anonymous memory over it, copy
// it back, collapse, make it executable again. A child then inherits the
// text as a few huge-page entries instead of faulting in the pages it runs
// from the file (fork never copies file-backed entries). None of the code
// running here is in that text: this is the addon's, the rest libc's; and the
// process is single-threaded. Done only if an anonymous mapping may become
// executable here (no W^X policy in the way), since failing halfway would
// leave the process without its code.
double RemapTextToHugePages() {
  char exe[512];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return 0;
  exe[n] = '\0';
  uintptr_t lo = 0, hi = 0;
  ForEachMapping([&](uintptr_t a, uintptr_t b, const char* perms, const char* path) {
    if (strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0 && b - a > hi - lo) {
      lo = a;
      hi = b;
    }
  });
  lo = (lo + kHuge - 1) & ~(kHuge - 1);
  hi &= ~(kHuge - 1);
  if (hi <= lo) return 0;
  const size_t size = hi - lo;

  void* probe = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe == MAP_FAILED) return 0;
  const bool may_exec = mprotect(probe, 4096, PROT_READ | PROT_EXEC) == 0;
  munmap(probe, 4096);
  void* copy = may_exec ? mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
  if (copy == MAP_FAILED) return 0;
  memcpy(copy, reinterpret_cast<void*>(lo), size);
  void* text = mmap(reinterpret_cast<void*>(lo), size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (text != reinterpret_cast<void*>(lo)) _exit(70);  // the text is gone; nothing can run
  madvise(text, size, MADV_HUGEPAGE);
  memcpy(text, copy, size);
  munmap(copy, size);
  double collapsed = CollapseRange(lo, hi);
  if (mprotect(text, size, PROT_READ | PROT_EXEC) < 0) _exit(70);
  return collapsed;
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
}

}  // namespace wat
