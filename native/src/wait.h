// Reaping one child with its resource use; shared by wait.cc's JS functions
// and the native fork server (server.cc).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

namespace wat {

struct Exit {
  pid_t pid;
  int code;    // exit status when exited normally, else -1
  int signal;  // terminating signal, else 0
  struct rusage usage;
};

// wait4(pid) -> 1 reaped, 0 still running (WNOHANG), -1 errno set.
int Wait4(pid_t pid, int options, Exit* out);

// Reaps through the pidfd (WNOHANG) -> 1 reaped, 0 still running, -1 errno set.
int WaitPidfd(int pidfd, pid_t pid, Exit* out);

}  // namespace wat
