// The fork server's loop (runner/fork-server.ts), in native code.
//
// Why native: every test child is forked from the server, and fork's cost
// grows with what the server has mapped and written. A server that ran its
// loop in JavaScript kept allocating on the V8 heap it shares, copy-on-write,
// with every child it had forked: each allocation after a fork copied a page
// (perf: ~20% of the server's time), and a scavenge copied hundreds. This
// loop allocates nothing on the V8 heap and never returns to JavaScript in
// the server, so the server's copy of the warm heap stays exactly as forked.
//
// serveForks() returns only in a test child, with the index of the body to
// run. The protocol (one line each; the TypeScript side parses it):
//   fd 0 ◀ "run <seq> <index>" | "release <seq>" | "quit"
//   fd 1 ▶ "started <seq> <pid> <stdout> <stderr> <result>"   (our fd numbers)
//        ▶ "failed <seq> <message, percent-encoded>"
//        ▶ "exit <pid> <status> <code|-1> <signal|0> <maxrss kB> <user ms> <sys ms>"
// fd 3 is /dev/null, the test children's stdin.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "exports.h"
#include "fork.h"
#include "wait.h"

namespace wat {
namespace {

constexpr int kCommands = 0;
constexpr int kReports = 1;
constexpr int kDevNull = 3;
// --jobs is at most 4096, and the parent starts a test only after the last
// one in its slot has been reported, so this many are never all in use.
constexpr int kMaxChildren = 4200;

struct Child {
  pid_t pid;
  int pidfd;
};

struct Held {
  long seq;
  int fds[3];  // our read ends of the child's stdout, stderr, result pipes
};

// All the loop's memory, in one mapping of its own. Not malloc: the server's
// malloc heap was turned into huge pages with the rest, and one write into a
// page it shares with its children would split that page again.
struct State {
  Child running[kMaxChildren];
  int running_count;
  Held held[kMaxChildren];
  int held_count;
  struct pollfd fds[kMaxChildren + 1];
  char input[65536];
  size_t input_len;
};

// The parent reads these lines; if it is gone, SIGPIPE (default disposition
// in the server) ends the server, and PDEATHSIG its children.
void Report(const char* line, size_t len) {
  while (len > 0) {
    ssize_t n = write(kReports, line, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(70);
    line += n;
    len -= static_cast<size_t>(n);
  }
}

void ReportLine(const char* line) { Report(line, strlen(line)); }

// For a "failed" line: the message with every byte but [A-Za-z0-9._-] as %XX.
void PercentEncode(const char* text, char* out, size_t cap) {
  static const char kHex[] = "0123456789ABCDEF";
  size_t n = 0;
  for (const unsigned char* c = reinterpret_cast<const unsigned char*>(text); *c && n + 4 < cap; c++) {
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
        *c == '_' || *c == '.') {
      out[n++] = static_cast<char>(*c);
    } else {
      out[n++] = '%';
      out[n++] = kHex[*c >> 4];
      out[n++] = kHex[*c & 15];
    }
  }
  out[n] = '\0';
}

long Ms(const struct timeval& tv) {
  return static_cast<long>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

bool IsRunning(const State& st, pid_t pid) {
  for (int i = 0; i < st.running_count; i++) {
    if (st.running[i].pid == pid) return true;
  }
  return false;
}

// The server is a child subreaper: what a test leaves behind re-parents here.
// Those strays have no pidfd; they are found through /proc. With `reap`,
// each is reaped if it has exited. Returns how many there are.
int Strays(const State& st, bool reap) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%ld/children", static_cast<long>(syscall(SYS_gettid)));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[8192];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  int strays = 0;
  long pid = 0;
  for (ssize_t i = 0; i <= n; i++) {
    char c = i < n ? buf[i] : ' ';
    if (c >= '0' && c <= '9') {
      pid = pid * 10 + (c - '0');
    } else if (pid > 0) {
      if (!IsRunning(st, static_cast<pid_t>(pid))) {
        strays++;
        Exit ignored;
        if (reap) Wait4(static_cast<pid_t>(pid), WNOHANG, &ignored);
      }
      pid = 0;
    }
  }
  return strays;
}

[[noreturn]] void Finish(const State& st) {
  for (int i = 0; i < st.running_count; i++) killpg(st.running[i].pid, SIGKILL);
  _exit(0);
}

void ReportExit(const Exit& e) {
  int status = e.signal ? 128 + e.signal : e.code;
  char line[200];
  snprintf(line, sizeof line, "exit %d %d %d %d %ld %ld %ld\n", e.pid, status, e.signal ? -1 : e.code, e.signal,
           static_cast<long>(e.usage.ru_maxrss), Ms(e.usage.ru_utime), Ms(e.usage.ru_stime));
  ReportLine(line);
}

void ReportFailure(long seq, const char* failed, int error) {
  char message[200];
  snprintf(message, sizeof message, "the fork server could not start the test: %s(2) failed: %s (%s)", failed,
           ErrnoName(error), strerror(error));
  char line[700];
  int n = snprintf(line, sizeof line, "failed %ld ", seq);
  PercentEncode(message, line + n, sizeof line - n - 2);
  strcat(line, "\n");
  ReportLine(line);
}

// Forks the test child for `seq`. Returns 0 in the child; in the server, the
// child's pid, or -1 after reporting the failure.
pid_t StartChild(State* st, long seq) {
  if (st->running_count == kMaxChildren || st->held_count == kMaxChildren) {
    ReportFailure(seq, "fork", EAGAIN);
    return -1;
  }
  int out[2] = {-1, -1}, err[2] = {-1, -1}, res[2] = {-1, -1};
  const char* failed = nullptr;
  int error = 0;
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0) {
    error = errno;
    failed = "pipe2";
  }
  pid_t pid = -1;
  if (failed == nullptr) {
    ChildPlan plan;
    plan.fds[0] = kDevNull;
    plan.fds[1] = out[1];
    plan.fds[2] = err[1];
    plan.fds[3] = res[1];
    plan.count = 4;
    plan.new_session = true;
    plan.die_with_parent = true;
    plan.parent = getpid();
    plan.loop = nullptr;
    pid = ForkWithPlan(&plan, &error, &failed);
    if (pid == 0) return 0;
  }
  for (int fd : {out[1], err[1], res[1]}) {
    if (fd >= 0) close(fd);
  }
  int pidfd = pid > 0 ? static_cast<int>(syscall(SYS_pidfd_open, pid, 0)) : -1;
  if (pid > 0 && pidfd < 0) {
    error = errno;
    failed = "pidfd_open";
    killpg(pid, SIGKILL);
    Exit ignored;
    Wait4(pid, 0, &ignored);
  }
  if (pidfd < 0) {
    for (int fd : {out[0], err[0], res[0]}) {
      if (fd >= 0) close(fd);
    }
    ReportFailure(seq, failed, error);
    return -1;
  }
  st->running[st->running_count++] = {pid, pidfd};
  st->held[st->held_count++] = {seq, {out[0], err[0], res[0]}};
  char line[120];
  snprintf(line, sizeof line, "started %ld %d %d %d %d\n", seq, pid, out[0], err[0], res[0]);
  ReportLine(line);
  return pid;
}

void Release(State* st, long seq) {
  for (int i = 0; i < st->held_count; i++) {
    if (st->held[i].seq != seq) continue;
    for (int fd : st->held[i].fds) close(fd);
    st->held[i] = st->held[--st->held_count];
    return;
  }
}

// Reaps the child behind pidfd `fd`, if it has exited, and reports it.
void Reap(State* st, int fd) {
  for (int i = 0; i < st->running_count; i++) {
    if (st->running[i].pidfd != fd) continue;
    Exit e;
    if (WaitPidfd(fd, st->running[i].pid, &e) == 1) {
      close(fd);
      st->running[i] = st->running[--st->running_count];
      ReportExit(e);
    }
    return;
  }
}

// serveForks() -> the body index, in a test child. Never returns in the server.
Napi::Value ServeForks(const Napi::CallbackInfo& info) {
  void* mem = mmap(nullptr, sizeof(State), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) ChildDie("mmap", errno);
  State* st = static_cast<State*>(mem);  // zero-filled
  for (;;) {
    // Leftovers re-parented to us have no pidfd: poll briefly while any exist.
    const bool strays = Strays(*st, false) > 0;
    st->fds[0] = {kCommands, POLLIN, 0};
    for (int i = 0; i < st->running_count; i++) st->fds[i + 1] = {st->running[i].pidfd, POLLIN, 0};
    const int nfds = st->running_count + 1;
    int ready = poll(st->fds, static_cast<nfds_t>(nfds), strays ? 5 : -1);
    if (ready < 0 && errno != EINTR) ChildDie("poll", errno);

    if (ready > 0 && st->fds[0].revents != 0) {
      ssize_t n = read(kCommands, st->input + st->input_len, sizeof st->input - st->input_len);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) Finish(*st);  // the parent is gone
      if (n > 0) st->input_len += static_cast<size_t>(n);
      char* start = st->input;
      char* end = st->input + st->input_len;
      char* nl;
      while ((nl = static_cast<char*>(memchr(start, '\n', static_cast<size_t>(end - start)))) != nullptr) {
        *nl = '\0';
        char word[16] = "";
        long a = 0, b = 0;
        int got = sscanf(start, "%15s %ld %ld", word, &a, &b);
        start = nl + 1;
        if (got >= 1 && strcmp(word, "quit") == 0) Finish(*st);
        if (got >= 2 && strcmp(word, "release") == 0) Release(st, a);
        if (got == 3 && strcmp(word, "run") == 0 && StartChild(st, a) == 0) {
          return Napi::Number::New(info.Env(), static_cast<double>(b));
        }
      }
      st->input_len = static_cast<size_t>(end - start);
      memmove(st->input, start, st->input_len);
    }

    for (int i = 1; ready > 0 && i < nfds; i++) {
      if (st->fds[i].revents != 0) Reap(st, st->fds[i].fd);
    }
    if (strays) Strays(*st, true);
  }
}

}  // namespace

void InitServer(Napi::Env env, Napi::Object exports) {
  exports.Set("serveForks", Napi::Function::New(env, ServeForks, "serveForks"));
}

}  // namespace wat
