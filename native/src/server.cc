// The fork server's loop (runner/fork-server.ts), in native code.
//
// Why native: every test child is forked from the server, and fork's cost
// grows with what the server has mapped and written. A server that ran its
// loop in JavaScript kept allocating on the V8 heap it shares, copy-on-write,
// with every child it had forked: each allocation after a fork copied a page
// (perf: ~20% of the server's time), and a scavenge copied hundreds. This
// loop allocates nothing on the V8 heap or with malloc, and never returns to
// JavaScript in the server, so its copy of the warm heap stays as forked.
//
// It also drains every child's stdout, stderr and result pipe, all at once,
// and forwards what it reads on one stream: the parent then handles one
// socket for the whole run instead of three per test, and bytes past a
// stream's cap are counted here instead of crossing another pipe.
//
// serveForks() returns only in a test child, with the index of the body to
// run. The protocol (the TypeScript side parses it):
//   fd 0 ◀ "run <seq> <index> <cap> <limit ms>"   queue body <index>; keep <cap>
//                                      bytes of stdout and of stderr (the result:
//                                      16 MiB); kill it <limit> ms after its start
//        ◀ "cancel <seq>"              drop it if not started yet: queued, or a
//                                      spare, killed ("cancelled <seq>"); kill it
//                                      if it runs (reported as it exits)
//        ◀ "abandon <seq>"             stop reading its pipes (something that
//                                      cannot be killed holds them open)
//        ◀ "jobs <n>"                  run at most n tests at once from now on
//                                      (a second server shares the cores:
//                                      runner/head-start.ts)
//        ◀ "quit"
//   fd 1 ▶ "started <seq> <pid>"
//        ▶ "failed <seq> <message, percent-encoded>"
//        ▶ "data <seq> <stream 0|1|2> <length>" + that many raw bytes
//        ▶ "exit <seq> <status> <code|-1> <signal|0> <maxrss kB> <user µs> <sys µs> <strays> <elapsed µs> <timed out 0|1>"
//        ▶ "ended <seq> <total bytes 0> <1> <2>"  after its exit, once every pipe closed
// At most `jobs` (serveForks' argument) test processes run at once; the
// parent queues a little more than that, so the next test starts the moment
// one exits, without waiting for the parent to hear of it and answer. A
// queued test is forked ahead, as a spare: it waits at a gate (a pipe on its
// fd 4) before running anything of the test, and "started" is reported when
// the gate opens, which is when a running test exits. The fork (~0.5 ms
// here) then overlaps the running tests instead of delaying the next one.
// A test's elapsed time is measured here, from its start (its fork, or its
// gate opening) to the pass that sees its exit: the parent hears of each
// only once its event loop gets there, so its own measure was off by its
// delays (a test of 200 ms, with the parent busy for 450 ms: 450 ms). Its
// timeout is kept here too, for the same reason (the parent may hear of a
// start long after it: runner/head-start.ts), and because only the server,
// which reaps it, knows that its pid is still its own.
// "strays" counts the server's children that are no test: what tests left
// behind (the server is a subreaper). fd 3 is /dev/null, the tests' stdin.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "exports.h"
#include "fork.h"
#include "inherit.h"
#include "wait.h"

namespace wat {
namespace {

constexpr int kCommands = 0;
constexpr int kReports = 1;
constexpr int kDevNull = 3;
// --jobs is at most 4096 and the parent queues at most a few tests beyond
// it (runner/dispatcher.ts QUEUED_AHEAD), so this many children (or queued
// tests) are never all in use.
constexpr int kMaxChildren = 4200;
constexpr long kResultCap = 16L << 20;
// A spare's gate, in the child: read one byte, then close it.
constexpr int kGateFd = 4;

struct Child {
  long seq;
  pid_t pid;
  int pidfd;       // -1 once reaped
  int pipes[3];    // our read ends of stdout, stderr, result; -1 once closed
  long cap[3];     // bytes forwarded at most, per stream
  long total[3];   // bytes read, per stream
  int gate;        // a spare's gate (our write end); -1 once it runs its test
  bool cancelled;  // a spare cancelled or dead at its gate: reaped unreported
  long started_us; // CLOCK_MONOTONIC when it started (ReportStarted)
  long limit_us;   // its --timeout; 0: none
  long deadline_us;  // started_us + limit_us once started; 0: none
  bool timed_out;  // killed here at its deadline
};

// poll entries: 0..2 a pipe of the child, kPid its pidfd, kBacklog the reports pipe
enum Kind { kPid = 3, kBacklog = 4 };

struct Queued {
  long seq;
  long index;
  long cap;
  long limit_ms;
};

// All the loop's memory, in one mapping of its own. Not malloc: the server's
// malloc heap was turned into huge pages with the rest, and one write into a
// page it shares with its children would split that page again.
struct State {
  Child children[kMaxChildren];
  int count;
  Queued queue[kMaxChildren];
  int queued;
  int jobs;
  int strays;   // as last counted (Strays)
  struct pollfd fds[2 + kMaxChildren * 4];  // commands, the backlog, 4 per child
  long owner_seq[2 + kMaxChildren * 4];
  int owner_kind[2 + kMaxChildren * 4];
  char input[65536];
  size_t input_len;
  char chunk[65536];
  char out[65536];  // what goes to the parent in this pass (Flush)
  size_t out_len;
  char* backlog;    // what the reports pipe did not take yet (Output)
  size_t backlog_at;
  size_t backlog_len;
  size_t backlog_high;  // the most of it ever written at once (pages resident)
};

// The backlog's address space, reserved once; its pages exist once written,
// and go back to the system (above kBacklogKept) once it has drained.
constexpr size_t kBacklogSpace = size_t(256) << 20;
constexpr size_t kBacklogKept = size_t(4) << 20;
// Past this much backlog the loop stops reading tests' output (they wait at
// their pipes, as they would at a full pipe) until the parent catches up.
constexpr size_t kBacklogPause = size_t(64) << 20;

// What the loop reports goes out once per pass (Flush), not line by line:
// each write wakes the parent, and a test's exit and end, or several tests'
// lines, usually fall in the same pass. If the parent is gone, the write
// fails (EPIPE: SIGPIPE is ignored here) and the server exits, and
// PDEATHSIG ends its children. The buffer is the State's (set once, before
// the first fork).
//
// The reports pipe never blocks the loop: what it does not take waits in
// the backlog, written out as the pipe drains (POLLOUT). The parent reads
// nothing while it loads the other files of a head start's run
// (runner/head-start.ts); a loop blocked on a full pipe would meanwhile
// leave its tests unreaped and their output undrained, and their measured
// times (and timeouts, which count from this loop's start time) would grow
// with the parent's delays.
State* g_state = nullptr;

// Writes what the pipe takes now; returns how much.
size_t WriteNow(const char* p, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(kReports, p + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    if (n < 0) _exit(70);
    done += static_cast<size_t>(n);
  }
  return done;
}

// Blocking, for the last words (Finish) and for a backlog out of room.
void WriteAll(const char* p, size_t len) {
  const int flags = fcntl(kReports, F_GETFL);
  fcntl(kReports, F_SETFL, flags & ~O_NONBLOCK);
  while (len > 0) {
    ssize_t n = write(kReports, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(70);
    p += n;
    len -= static_cast<size_t>(n);
  }
  fcntl(kReports, F_SETFL, flags);
}

// Writes what the pipe takes of the backlog.
void PumpBacklog() {
  State* st = g_state;
  const size_t n = WriteNow(st->backlog + st->backlog_at, st->backlog_len);
  st->backlog_at += n;
  st->backlog_len -= n;
  if (st->backlog_len == 0) {
    st->backlog_at = 0;
    if (st->backlog_high > kBacklogKept) {
      madvise(st->backlog + kBacklogKept, st->backlog_high - kBacklogKept, MADV_DONTNEED);
      st->backlog_high = kBacklogKept;
    }
  } else if (st->backlog_at > st->backlog_len && st->backlog_at > kBacklogKept) {
    // more written out than waits: moving what waits to the front costs less
    // than what was written, and keeps the backlog from creeping forward
    memmove(st->backlog, st->backlog + st->backlog_at, st->backlog_len);
    st->backlog_at = 0;
  }
}

// Everything reported goes through here, in order: straight into the pipe
// when nothing waits, otherwise behind the backlog.
void Output(const char* p, size_t len) {
  State* st = g_state;
  if (st->backlog_len == 0) {
    const size_t n = WriteNow(p, len);
    p += n;
    len -= n;
    if (len == 0) return;
  }
  if (st->backlog == nullptr || st->backlog_at + st->backlog_len + len > kBacklogSpace) {
    if (st->backlog != nullptr) {
      memmove(st->backlog, st->backlog + st->backlog_at, st->backlog_len);
      st->backlog_at = 0;
    }
    if (st->backlog == nullptr || st->backlog_len + len > kBacklogSpace) {
      // no room to wait in (256 MiB unread): wait for the parent instead
      if (st->backlog != nullptr) WriteAll(st->backlog, st->backlog_len);
      st->backlog_len = 0;
      WriteAll(p, len);
      return;
    }
  }
  memcpy(st->backlog + st->backlog_at + st->backlog_len, p, len);
  st->backlog_len += len;
  if (st->backlog_at + st->backlog_len > st->backlog_high) st->backlog_high = st->backlog_at + st->backlog_len;
  PumpBacklog();
}

void Flush() {
  if (g_state->out_len > 0) Output(g_state->out, g_state->out_len);
  g_state->out_len = 0;
}

void Send(const char* p, size_t len) {
  if (g_state->out_len + len > sizeof g_state->out) Flush();
  if (len > sizeof g_state->out) {
    Output(p, len);
    return;
  }
  memcpy(g_state->out + g_state->out_len, p, len);
  g_state->out_len += len;
}

void SendLine(const char* line) { Send(line, strlen(line)); }

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

long Us(const struct timeval& tv) {
  return static_cast<long>(tv.tv_sec) * 1000000 + tv.tv_usec;
}

long NowUs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

Child* Find(State* st, long seq) {
  for (int i = 0; i < st->count; i++) {
    if (st->children[i].seq == seq) return &st->children[i];
  }
  return nullptr;
}

bool IsTest(const State& st, pid_t pid) {
  for (int i = 0; i < st.count; i++) {
    if (st.children[i].pid == pid && st.children[i].pidfd >= 0) return true;
  }
  return false;
}

// Children of the server that are no running test: re-parented leftovers,
// found through /proc (they have no pidfd here). With `reap`, each that has
// exited is reaped. Returns how many there are, and remembers it.
int Strays(State* st, bool reap) {
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
      if (!IsTest(*st, static_cast<pid_t>(pid))) {
        strays++;
        Exit ignored;
        if (reap) Wait4(static_cast<pid_t>(pid), WNOHANG, &ignored);
      }
      pid = 0;
    }
  }
  st->strays = strays;
  return strays;
}

[[noreturn]] void Finish(const State& st) {
  Flush();
  if (st.backlog_len > 0) WriteAll(st.backlog + st.backlog_at, st.backlog_len);
  for (int i = 0; i < st.count; i++) {
    if (st.children[i].pidfd >= 0) {
      killpg(st.children[i].pid, SIGKILL);
      kill(st.children[i].pid, SIGKILL);
    }
  }
  // Reaped here, not left to whoever inherits them (the parent, a
  // subreaper, which may already have looked for strays); but for 2 s at
  // most: a process stuck in the kernel (a hung network read) must not
  // keep the run from ending, and the parent reaps what is left.
  const long until = NowUs() + 2000000;
  for (int i = 0; i < st.count; i++) {
    const Child& c = st.children[i];
    if (c.pidfd < 0) continue;
    for (;;) {
      struct pollfd exited = {c.pidfd, POLLIN, 0};
      const long left_ms = (until - NowUs()) / 1000;
      if (left_ms <= 0 || poll(&exited, 1, static_cast<int>(left_ms)) == 0) break;
      if (exited.revents != 0) {
        Exit ignored;
        Wait4(c.pid, WNOHANG, &ignored);
        break;
      }
    }
  }
  _exit(0);
}

void SendFailed(long seq, const char* message) {
  char line[700];
  int n = snprintf(line, sizeof line, "failed %ld ", seq);
  PercentEncode(message, line + n, sizeof line - n - 2);
  strcat(line, "\n");
  SendLine(line);
}

void ReportFailure(long seq, const char* failed, int error) {
  char message[200];
  snprintf(message, sizeof message, "the fork server could not start the test: %s(2) failed: %s (%s)", failed,
           ErrnoName(error), strerror(error));
  SendFailed(seq, message);
}

// After its exit, once all its pipes are closed: the end of a test's report.
void EndIfDone(State* st, Child* c) {
  if (c->pidfd >= 0 || c->pipes[0] >= 0 || c->pipes[1] >= 0 || c->pipes[2] >= 0) return;
  if (!c->cancelled) {
    char line[160];
    snprintf(line, sizeof line, "ended %ld %ld %ld %ld\n", c->seq, c->total[0], c->total[1], c->total[2]);
    SendLine(line);
  }
  *c = st->children[--st->count];
}

void ClosePipe(Child* c, int k) {
  close(c->pipes[k]);
  c->pipes[k] = -1;
}

// One read from pipe k of c: forwards what fits under its cap, counts the rest.
void Drain(State* st, Child* c, int k) {
  ssize_t n = read(c->pipes[k], st->chunk, sizeof st->chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {  // EOF, or an error that ends the stream the same way
    ClosePipe(c, k);
    return;
  }
  long room = c->cap[k] - c->total[k];
  long forward = room <= 0 ? 0 : (n < room ? n : room);
  c->total[k] += n;
  if (forward == 0) return;
  char header[80];
  Send(header, static_cast<size_t>(snprintf(header, sizeof header, "data %ld %d %ld\n", c->seq, k, forward)));
  Send(st->chunk, static_cast<size_t>(forward));
}

void ReportStarted(Child* c) {
  c->started_us = NowUs();
  c->deadline_us = c->limit_us > 0 ? c->started_us + c->limit_us : 0;
  char line[96];
  snprintf(line, sizeof line, "started %ld %d\n", c->seq, c->pid);
  SendLine(line);
}

// Forked ahead and waiting at its gate (Release, Cancel and Reap close it).
bool IsSpare(const Child& c) { return c.gate >= 0; }

void Reap(State* st, Child* c) {
  Exit e;
  if (WaitPidfd(c->pidfd, c->pid, &e) != 1) return;
  close(c->pidfd);
  c->pidfd = -1;
  if (IsSpare(*c)) {
    // died at its gate, having run nothing of the test: it could not start
    close(c->gate);
    c->gate = -1;
    c->cancelled = true;
    char message[200];
    if (e.signal) {
      snprintf(message, sizeof message, "the test's process was killed by signal %d before the test started", e.signal);
    } else {
      snprintf(message, sizeof message, "the test's process exited with status %d before the test started", e.code);
    }
    SendFailed(c->seq, message);
  }
  if (c->cancelled) return;
  int status = e.signal ? 128 + e.signal : e.code;
  char line[200];
  snprintf(line, sizeof line, "exit %ld %d %d %d %ld %ld %ld %d %ld %d\n", c->seq, status, e.signal ? -1 : e.code,
           e.signal, static_cast<long>(e.usage.ru_maxrss), Us(e.usage.ru_utime), Us(e.usage.ru_stime), Strays(st, false),
           NowUs() - c->started_us, c->timed_out ? 1 : 0);
  SendLine(line);
}

// A test child is scheduled as a batch job (SCHED_BATCH: as SCHED_OTHER,
// but it never preempts the task running where it wakes). Why: a released
// spare woke on the server's core and preempted the server, which then
// waited there, runnable, while the other core went idle (~1 ms each time,
// 165 ms of a 1000-test -j 2 run; the kernel does not move a task that ran
// a moment ago). Any user may choose it; a test's own children inherit it.
void RunAsBatch() {
  sched_param none{};
  sched_setscheduler(0, SCHED_BATCH, &none);
}

// Forks the test child for `seq`, as a spare waiting at its gate when
// `gated`. Returns 0 in the child; in the server, the child's pid, or -1
// after reporting the failure.
pid_t StartChild(State* st, const Queued& q, bool gated) {
  const long seq = q.seq;
  const long cap = q.cap;
  if (st->count == kMaxChildren) {
    ReportFailure(seq, "fork", EAGAIN);
    return -1;
  }
  int out[2] = {-1, -1}, err[2] = {-1, -1}, res[2] = {-1, -1}, gate[2] = {-1, -1};
  const char* failed = nullptr;
  int error = 0;
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0 ||
      (gated && pipe2(gate, O_CLOEXEC) < 0)) {
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
    plan.fds[kGateFd] = gate[0];
    plan.count = gated ? kGateFd + 1 : 4;
    plan.new_session = true;
    plan.die_with_parent = true;
    plan.parent = getpid();
    plan.loop = nullptr;
    plan.heap_inheritable = true;  // made so once, in ServeForks
    plan.only_thread = true;       // a forked child that starts no thread
    pid = ForkWithPlan(&plan, &error, &failed);
    if (pid == 0) {
      RunAsBatch();
      return 0;
    }
  }
  for (int fd : {out[1], err[1], res[1], gate[0]}) {
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
    for (int fd : {out[0], err[0], res[0], gate[1]}) {
      if (fd >= 0) close(fd);
    }
    ReportFailure(seq, failed, error);
    return -1;
  }
  for (int fd : {out[0], err[0], res[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);
  Child& c = st->children[st->count++];
  c = Child{seq, pid, pidfd, {out[0], err[0], res[0]}, {cap, cap, kResultCap}, {0, 0, 0}, gate[1], false, 0,
            q.limit_ms * 1000, 0, false};
  if (!gated) ReportStarted(&c);
  return pid;
}

// Tests running: forked, not reaped, past the gate.
int Running(const State& st) {
  int n = 0;
  for (int i = 0; i < st.count; i++) {
    const Child& c = st.children[i];
    n += c.pidfd >= 0 && !IsSpare(c) && !c.cancelled;
  }
  return n;
}

// The spare queued first (the lowest seq): spares run in queue order.
Child* OldestSpare(State* st) {
  Child* oldest = nullptr;
  for (int i = 0; i < st->count; i++) {
    Child* c = &st->children[i];
    if (IsSpare(*c) && (oldest == nullptr || c->seq < oldest->seq)) oldest = c;
  }
  return oldest;
}

// The test queued first, out of the queue (which holds one at least).
Queued PopQueued(State* st) {
  const Queued q = st->queue[0];
  memmove(&st->queue[0], &st->queue[1], sizeof(Queued) * static_cast<size_t>(--st->queued));
  return q;
}

int Spares(const State& st) {
  int n = 0;
  for (int i = 0; i < st.count; i++) n += IsSpare(st.children[i]);
  return n;
}

// A queued test is waiting and fewer than -j spares stand at their gates.
bool SpareWanted(const State& st) { return st.queued > 0 && Spares(st) < st.jobs; }

// Opens a spare's gate: from here it runs its test, timed from now (ReportStarted).
void Release(Child* c) {
  ssize_t n;
  do n = write(c->gate, "g", 1);
  while (n < 0 && errno == EINTR);
  // If it died at the gate, the write fails; its exit is reported as a test's.
  close(c->gate);
  c->gate = -1;
  ReportStarted(c);
}

// In a spare: waits for Release. A closed gate without a byte means the
// server is gone or cancelled it.
void WaitAtGate() {
  char b;
  ssize_t n;
  do n = read(kGateFd, &b, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(70);
  close(kGateFd);
}

void Cancel(State* st, long seq) {
  for (int i = 0; i < st->count; i++) {
    Child* c = &st->children[i];
    if (c->seq != seq) continue;
    if (!IsSpare(*c)) {
      // running: killed while it is still ours to signal (not yet reaped),
      // then reported as it exits
      if (c->pidfd >= 0 && !c->cancelled) {
        killpg(c->pid, SIGKILL);
        kill(c->pid, SIGKILL);
      }
      return;
    }
    // forked ahead but not started: to the parent it is still only queued
    c->cancelled = true;
    close(c->gate);
    c->gate = -1;
    killpg(c->pid, SIGKILL);
    kill(c->pid, SIGKILL);
    char line[64];
    snprintf(line, sizeof line, "cancelled %ld\n", seq);
    SendLine(line);
    return;
  }
  for (int i = 0; i < st->queued; i++) {
    if (st->queue[i].seq != seq) continue;
    memmove(&st->queue[i], &st->queue[i + 1], sizeof(Queued) * static_cast<size_t>(st->queued - i - 1));
    st->queued--;
    char line[64];
    snprintf(line, sizeof line, "cancelled %ld\n", seq);
    SendLine(line);
    return;
  }
}

// Kills the running tests past their deadline (not those that exited in
// time and wait to be reaped); returns the milliseconds to the nearest
// deadline still ahead, or -1.
int EnforceDeadlines(State* st) {
  const long now = NowUs();
  long nearest = -1;
  for (int i = 0; i < st->count; i++) {
    Child* c = &st->children[i];
    if (c->deadline_us == 0 || c->pidfd < 0 || IsSpare(*c) || c->cancelled || c->timed_out) continue;
    if (now < c->deadline_us) {
      const long left = c->deadline_us - now;
      if (nearest < 0 || left < nearest) nearest = left;
      continue;
    }
    struct pollfd exited = {c->pidfd, POLLIN, 0};
    if (poll(&exited, 1, 0) > 0) continue;
    c->timed_out = true;
    killpg(c->pid, SIGKILL);
    kill(c->pid, SIGKILL);
  }
  return nearest < 0 ? -1 : static_cast<int>((nearest + 999) / 1000);
}

// The shorter of two poll timeouts, where -1 is none.
int Sooner(int a, int b) { return a < 0 ? b : b < 0 ? a : (a < b ? a : b); }

// serveForks(jobs) -> the body index, in a test child. Never returns in the server.
Napi::Value ServeForks(const Napi::CallbackInfo& info) {
  void* mem = mmap(nullptr, sizeof(State), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) ChildDie("mmap", errno);
  State* st = static_cast<State*>(mem);  // zero-filled
  g_state = st;
  st->jobs = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
  if (st->jobs < 1) st->jobs = 1;
  // Nothing is mapped from here on (no JavaScript, no malloc), so one walk
  // clears V8's MADV_DONTFORK for every fork of the loop.
  ReenableHeapInheritance();
  // A write to a gate whose spare died, or to a parent that is gone, fails
  // with EPIPE instead of killing the server and every test it runs (test
  // children get every disposition back at their fork).
  signal(SIGPIPE, SIG_IGN);
  // But not for the loop's own memory, which no test child reads: shared
  // with a child, each page of it the loop then wrote was copied first
  // (~6 of the server's ~12 page faults per fork, perf).
  madvise(mem, sizeof(State), MADV_DONTFORK);
  void* backlog = mmap(nullptr, kBacklogSpace, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (backlog != MAP_FAILED && madvise(backlog, kBacklogSpace, MADV_DONTFORK) == 0) {
    st->backlog = static_cast<char*>(backlog);
    fcntl(kReports, F_SETFL, fcntl(kReports, F_GETFL) | O_NONBLOCK);
  }
  for (;;) {
    // Leftovers re-parented to us have no pidfd: poll briefly while any exist.
    // They are counted at each test's exit (Reap), when a test's own
    // leftovers are re-parented; /proc is read every pass only while some
    // are known, as a stray's own child is re-parented only when it exits.
    const bool strays = st->strays > 0 && Strays(st, false) > 0;
    Flush();
    int nfds = 0;
    st->fds[nfds++] = {kCommands, POLLIN, 0};
    if (st->backlog_len > 0) {
      st->owner_kind[nfds] = kBacklog;
      st->fds[nfds++] = {kReports, POLLOUT, 0};
    }
    const bool paused = st->backlog_len > kBacklogPause;
    for (int i = 0; i < st->count; i++) {
      const Child& c = st->children[i];
      for (int k = paused ? kPid : 0; k <= kPid; k++) {
        int fd = k == kPid ? c.pidfd : c.pipes[k];
        if (fd < 0) continue;
        st->owner_seq[nfds] = c.seq;
        st->owner_kind[nfds] = k;
        st->fds[nfds++] = {fd, POLLIN, 0};
      }
    }
    // Spares are forked one per pass (~0.4 ms each), with a look at the
    // children in between, so that an exit waits for one fork at most
    // before a spare takes its place; meanwhile poll only looks.
    const int due = EnforceDeadlines(st);
    int ready = poll(st->fds, static_cast<nfds_t>(nfds), SpareWanted(*st) ? 0 : Sooner(strays ? 5 : -1, due));
    if (ready < 0 && errno != EINTR) ChildDie("poll", errno);

    // Output before exits: a test's last bytes are read before its exit is told.
    for (int i = 1; ready > 0 && i < nfds; i++) {
      if (st->fds[i].revents == 0 || st->owner_kind[i] == kPid) continue;
      if (st->owner_kind[i] == kBacklog) {
        PumpBacklog();
        continue;
      }
      Child* c = Find(st, st->owner_seq[i]);
      if (c != nullptr && c->pipes[st->owner_kind[i]] == st->fds[i].fd) Drain(st, c, st->owner_kind[i]);
    }
    for (int i = 1; ready > 0 && i < nfds; i++) {
      if (st->fds[i].revents == 0 || st->owner_kind[i] != kPid) continue;
      Child* c = Find(st, st->owner_seq[i]);
      if (c == nullptr || c->pidfd != st->fds[i].fd) continue;
      // its pipes were not polled: what it wrote before its exit goes first
      // (a pipe holds little; what a leftover writes later is read later)
      for (int k = 0; paused && k < 3; k++) {
        for (int reads = 0; c->pipes[k] >= 0 && reads < 16; reads++) {
          const long before = c->total[k];
          Drain(st, c, k);
          if (c->pipes[k] >= 0 && c->total[k] == before) break;  // nothing more now
        }
      }
      Reap(st, c);
    }
    for (int i = st->count - 1; i >= 0; i--) EndIfDone(st, &st->children[i]);

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
        long a = 0, b = 0, cap = 0, limit = 0;
        int got = sscanf(start, "%15s %ld %ld %ld %ld", word, &a, &b, &cap, &limit);
        start = nl + 1;
        if (got >= 1 && strcmp(word, "quit") == 0) Finish(*st);
        if (got >= 2 && strcmp(word, "abandon") == 0) {
          Child* c = Find(st, a);
          if (c != nullptr) {
            for (int k = 0; k < 3; k++) {
              if (c->pipes[k] >= 0) ClosePipe(c, k);
            }
            EndIfDone(st, c);
          }
        }
        if (got >= 2 && strcmp(word, "cancel") == 0) Cancel(st, a);
        // fewer only limits what starts next; a running test is never stopped
        if (got >= 2 && strcmp(word, "jobs") == 0 && a >= 1 && a <= kMaxChildren) st->jobs = static_cast<int>(a);
        if (got >= 4 && strcmp(word, "run") == 0) {
          if (st->queued == kMaxChildren) ReportFailure(a, "fork", EAGAIN);
          else st->queue[st->queued++] = {a, b, cap, got == 5 ? limit : 0};
        }
      }
      st->input_len = static_cast<size_t>(end - start);
      memmove(st->input, start, st->input_len);
    }
    // Free slots go to spares first (forked ahead, in queue order), then
    // to queued tests; what stays queued is forked ahead as a spare.
    while (Running(*st) < st->jobs) {
      Child* spare = OldestSpare(st);
      if (spare != nullptr) {
        Release(spare);
        continue;
      }
      if (st->queued == 0) break;
      const Queued q = PopQueued(st);
      if (StartChild(st, q, false) == 0) return Napi::Number::New(info.Env(), static_cast<double>(q.index));
    }
    if (SpareWanted(*st)) {
      const Queued q = PopQueued(st);
      if (StartChild(st, q, true) == 0) {
        WaitAtGate();
        return Napi::Number::New(info.Env(), static_cast<double>(q.index));
      }
    }
    if (strays) Strays(st, true);
  }
}

}  // namespace

void InitServer(Napi::Env env, Napi::Object exports) {
  exports.Set("serveForks", Napi::Function::New(env, ServeForks, "serveForks"));
}

}  // namespace wat
