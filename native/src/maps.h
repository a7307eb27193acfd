// Walking this process's mappings, for the code that reshapes them
// (huge-heap.cc).
#pragma once

#include <stdint.h>
#include <stdio.h>

namespace wat {

// Calls fn(lo, hi, perms, path) for every mapping in /proc/self/maps.
template <typename Fn>
void ForEachMapping(Fn fn) {
  FILE* maps = fopen("/proc/self/maps", "re");
  if (maps == nullptr) return;
  char line[768];
  while (fgets(line, sizeof line, maps) != nullptr) {
    unsigned long lo, hi;
    char perms[8];
    char path[512] = "";
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %511s", &lo, &hi, perms, path) >= 3) fn(lo, hi, perms, path);
  }
  fclose(maps);
}

}  // namespace wat
