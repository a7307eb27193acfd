// Reading this process's mappings, mapping 2 MiB-aligned memory, and moving
// a copy of code over the original, for the code that reshapes them
// (huge-heap.cc, folio-pack.cc, quiet-builtins.cc).
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

namespace wat {

constexpr uintptr_t kHuge = uintptr_t(2) << 20;

// A mapping's first line in /proc/self/maps or /proc/self/smaps. The
// outputs change only when `line` is one: sscanf assigns what it matched
// before failing (smaps' "AnonHugePages:" starts with a hex digit).
inline bool ParseMappingLine(const char* line, unsigned long* lo, unsigned long* hi, char (&perms)[8], char (&path)[512]) {
  unsigned long a, b;
  char p[8];
  char name[512] = "";
  if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %511s", &a, &b, p, name) < 3) return false;
  *lo = a;
  *hi = b;
  memcpy(perms, p, sizeof p);
  memcpy(path, name, sizeof name);
  return true;
}

// Calls fn(lo, hi, perms, path) for every mapping in /proc/self/maps.
template <typename Fn>
void ForEachMapping(Fn fn) {
  FILE* maps = fopen("/proc/self/maps", "re");
  if (maps == nullptr) return;
  char line[768];
  while (fgets(line, sizeof line, maps) != nullptr) {
    unsigned long lo, hi;
    char perms[8];
    char path[512];
    if (ParseMappingLine(line, &lo, &hi, perms, path)) fn(lo, hi, perms, path);
  }
  fclose(maps);
}

// Calls fn(lo, hi, perms, path, vmflags) for every mapping, with its
// VmFlags line ("rd wr mr ...") from /proc/self/smaps.
template <typename Fn>
void ForEachMappingWithFlags(Fn fn) {
  FILE* smaps = fopen("/proc/self/smaps", "re");
  if (smaps == nullptr) return;
  char line[768];
  unsigned long lo = 0, hi = 0;
  char perms[8] = "";
  char path[512] = "";
  bool open = false;  // a mapping's first line was read, its VmFlags not yet
  while (fgets(line, sizeof line, smaps) != nullptr) {
    if (ParseMappingLine(line, &lo, &hi, perms, path)) {
      open = true;
    } else if (open && strncmp(line, "VmFlags:", 8) == 0) {
      open = false;
      fn(lo, hi, perms, path, line + 8);
    }
  }
  fclose(smaps);
}

// `size` bytes (a multiple of 2 MiB) of fresh read-write anonymous memory
// starting on a 2 MiB boundary, or nullptr.
inline void* MapHugeAligned(size_t size, int extra_flags) {
  void* raw = mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const uintptr_t r = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t at = (r + kHuge - 1) & ~(kHuge - 1);
  // keep the aligned [at, at + size) of the over-sized mapping
  if (at > r) munmap(raw, at - r);
  munmap(reinterpret_cast<void*>(at + size), r + kHuge - at);
  return reinterpret_cast<void*>(at);
}

// The executable's path (as /proc/self/maps names it) into `out`; false if unknown.
inline bool ExecutablePath(char (&out)[512]) {
  const ssize_t n = readlink("/proc/self/exe", out, sizeof out - 1);
  if (n <= 0) return false;
  out[n] = '\0';
  return true;
}

// Makes `copy` (a private anonymous mapping of `size` bytes) executable and
// moves it over [at, at + size) in one mremap, so the code there is never
// missing. On failure the copy is unmapped and the original left as it was.
inline bool MoveCodeOver(void* copy, uintptr_t at, size_t size) {
  void* const target = reinterpret_cast<void*>(at);
  if (mprotect(copy, size, PROT_READ | PROT_EXEC) != 0 ||
      mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, target) != target) {
    munmap(copy, size);
    return false;
  }
  return true;
}

}  // namespace wat
