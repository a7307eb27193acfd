// Undoing V8's MADV_DONTFORK so a forked child has a heap (see inherit.h).
#include "inherit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

namespace wat {
namespace {

#if defined(__x86_64__)
constexpr uintptr_t kUserSpaceEnd = 0x7ffffffff000;
#elif defined(__aarch64__)
constexpr uintptr_t kUserSpaceEnd = uintptr_t(1) << 48;
#else
#error "wat-native: define the top of user address space for this architecture"
#endif

// One madvise over the whole user address space is the cheapest way to
// clear DONTFORK (ENOMEM just reports the unmapped holes). But the kernel
// aborts that walk with EINVAL at the first VM_IO mapping, and on recent
// kernels [vvar] sits in the middle of the mmap area, so everything above it
// would stay DONTFORK. Those mappings are learned once (they are made at exec)
// and skipped: each fork then costs a few madvise calls, no /proc parsing.
struct Range {
  uintptr_t lo, hi;
};
Range g_skip[16];
int g_skip_count = 0;

bool DoForkBetweenSkips() {
  uintptr_t cur = 0x1000;
  for (int i = 0; i <= g_skip_count; i++) {
    uintptr_t end = i < g_skip_count ? g_skip[i].lo : kUserSpaceEnd;
    if (end > cur &&
        madvise(reinterpret_cast<void*>(cur), end - cur, MADV_DOFORK) < 0 &&
        errno != ENOMEM) {
      return false;
    }
    if (i < g_skip_count) {
      // Re-try the skipped mapping itself, ignoring the result: if it was
      // unmapped and the range reused by V8, it still gets covered.
      madvise(reinterpret_cast<void*>(g_skip[i].lo), g_skip[i].hi - g_skip[i].lo,
              MADV_DOFORK);
      if (g_skip[i].hi > cur) cur = g_skip[i].hi;
    }
  }
  return true;
}

// Slow path: mapping by mapping from /proc/self/maps (ascending, so g_skip
// stays sorted), remembering the ones that refuse.
void DoForkEachMappingAndLearn() {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  g_skip_count = 0;
  char buf[8192];
  size_t have = 0;
  for (;;) {
    ssize_t n = read(fd, buf + have, sizeof buf - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<size_t>(n);
    size_t line = 0;
    for (size_t i = 0; i < have; i++) {
      if (buf[i] != '\n') continue;
      buf[i] = '\0';
      char* end = nullptr;
      uintptr_t lo = strtoull(buf + line, &end, 16);
      uintptr_t hi = (end && *end == '-') ? strtoull(end + 1, nullptr, 16) : 0;
      line = i + 1;
      if (hi <= lo || hi > kUserSpaceEnd) continue;
      if (madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DOFORK) < 0 &&
          g_skip_count < static_cast<int>(sizeof g_skip / sizeof g_skip[0])) {
        g_skip[g_skip_count++] = {lo, hi};
      }
    }
    // Keep the unfinished last line for the next read.
    memmove(buf, buf + line, have - line);
    have -= line;
    if (have == sizeof buf) have = 0;  // absurd line; drop it
  }
  close(fd);
}

}  // namespace

void ReenableHeapInheritance() {
  if (!DoForkBetweenSkips()) DoForkEachMappingAndLearn();
}

}  // namespace wat
