// V8 maps every heap region MADV_DONTFORK, so a plain fork() gives a child
// without a heap (SIGSEGV before one line of JS). This clears the flag on the
// whole address space; it must run right before EVERY fork, because V8 keeps
// mapping new regions with DONTFORK.
#pragma once

namespace wat {

void ReenableHeapInheritance();

}  // namespace wat
