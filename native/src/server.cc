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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "errors.h"
#include "exports.h"
#include "fork.h"
#include "wait.h"

namespace wat {
namespace {

constexpr int kCommands = 0;
constexpr int kReports = 1;
constexpr int kDevNull = 3;

struct Child {
  pid_t pid;
  int pidfd;
};

struct Held {
  long seq;
  int fds[3];  // our read ends of the child's stdout, stderr, result pipes
};

// The parent reads these lines; if it is gone, SIGPIPE (default disposition
// in the server) ends the server, and PDEATHSIG its children.
void Report(const std::string& line) {
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = write(kReports, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(70);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::string PercentEncoded(const char* text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char* c = reinterpret_cast<const unsigned char*>(text); *c; c++) {
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
        *c == '-' || *c == '_' || *c == '.' || *c == '(' || *c == ')') {
      out += static_cast<char>(*c);
    } else {
      out += '%';
      out += kHex[*c >> 4];
      out += kHex[*c & 15];
    }
  }
  return out;
}

long Ms(const struct timeval& tv) {
  return static_cast<long>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

// The server is a child subreaper: what a test leaves behind re-parents here.
// Those strays have no pidfd in `running`; they are found through /proc.
std::vector<pid_t> ChildrenOfSelf() {
  std::vector<pid_t> kids;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%ld/children", static_cast<long>(syscall(SYS_gettid)));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return kids;
  char buf[8192];
  ssize_t n;
  std::string text;
  while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  close(fd);
  long pid = 0;
  bool in = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      pid = pid * 10 + (c - '0');
      in = true;
    } else if (in) {
      kids.push_back(static_cast<pid_t>(pid));
      pid = 0;
      in = false;
    }
  }
  if (in) kids.push_back(static_cast<pid_t>(pid));
  return kids;
}

bool IsRunning(const std::vector<Child>& running, pid_t pid) {
  for (const Child& c : running) {
    if (c.pid == pid) return true;
  }
  return false;
}

[[noreturn]] void Finish(const std::vector<Child>& running) {
  for (const Child& c : running) killpg(c.pid, SIGKILL);
  _exit(0);
}

void ReportExit(const Exit& e) {
  int status = e.signal ? 128 + e.signal : e.code;
  char line[200];
  snprintf(line, sizeof line, "exit %d %d %d %d %ld %ld %ld\n", e.pid, status, e.signal ? -1 : e.code,
           e.signal, static_cast<long>(e.usage.ru_maxrss), Ms(e.usage.ru_utime), Ms(e.usage.ru_stime));
  Report(line);
}

// Forks the test child for `seq`. Returns 0 in the child; in the server, the
// child's pid, or -1 after reporting the failure.
pid_t StartChild(long seq, std::vector<Child>* running, std::vector<Held>* held) {
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
    char message[160];
    snprintf(message, sizeof message, "the fork server could not start the test: %s(2) failed: %s (%s)", failed,
             ErrnoName(error), strerror(error));
    Report("failed " + std::to_string(seq) + " " + PercentEncoded(message) + "\n");
    return -1;
  }
  running->push_back({pid, pidfd});
  held->push_back({seq, {out[0], err[0], res[0]}});
  char line[120];
  snprintf(line, sizeof line, "started %ld %d %d %d %d\n", seq, pid, out[0], err[0], res[0]);
  Report(line);
  return pid;
}

// serveForks() -> the body index, in a test child. Never returns in the server.
Napi::Value ServeForks(const Napi::CallbackInfo& info) {
  std::vector<Child> running;
  std::vector<Held> held;
  std::string input;
  const pid_t self = getpid();
  std::vector<struct pollfd> fds;
  for (;;) {
    // Leftovers re-parented to us have no pidfd: poll briefly while any exist.
    bool strays = false;
    for (pid_t kid : ChildrenOfSelf()) {
      if (!IsRunning(running, kid)) strays = true;
    }
    fds.assign(1, {kCommands, POLLIN, 0});
    for (const Child& c : running) fds.push_back({c.pidfd, POLLIN, 0});
    int ready = poll(fds.data(), fds.size(), strays ? 5 : -1);
    if (ready < 0 && errno != EINTR) ChildDie("poll", errno);

    if (ready > 0 && fds[0].revents != 0) {
      char buf[65536];
      ssize_t n = read(kCommands, buf, sizeof buf);
      if (n < 0 && errno != EINTR && errno != EAGAIN) Finish(running);
      if (n == 0) Finish(running);  // the parent is gone or closed us
      if (n > 0) input.append(buf, static_cast<size_t>(n));
      size_t nl;
      while ((nl = input.find('\n')) != std::string::npos) {
        std::string line = input.substr(0, nl);
        input.erase(0, nl + 1);
        char word[16] = "";
        long a = 0, b = 0;
        int got = sscanf(line.c_str(), "%15s %ld %ld", word, &a, &b);
        if (got >= 1 && strcmp(word, "quit") == 0) Finish(running);
        if (got >= 2 && strcmp(word, "release") == 0) {
          for (size_t i = 0; i < held.size(); i++) {
            if (held[i].seq != a) continue;
            for (int fd : held[i].fds) close(fd);
            held.erase(held.begin() + static_cast<long>(i));
            break;
          }
        } else if (got == 3 && strcmp(word, "run") == 0) {
          if (StartChild(a, &running, &held) == 0) return Napi::Number::New(info.Env(), static_cast<double>(b));
        }
      }
    }

    for (size_t i = 1; ready > 0 && i < fds.size(); i++) {
      if (fds[i].revents == 0) continue;
      for (size_t j = 0; j < running.size(); j++) {
        if (running[j].pidfd != fds[i].fd) continue;
        Exit e;
        if (WaitPidfd(running[j].pidfd, running[j].pid, &e) == 1) {
          close(running[j].pidfd);
          running.erase(running.begin() + static_cast<long>(j));
          ReportExit(e);
        }
        break;
      }
    }

    if (strays) {
      for (pid_t kid : ChildrenOfSelf()) {
        Exit ignored;
        if (!IsRunning(running, kid) && kid != self) Wait4(kid, WNOHANG, &ignored);
      }
    }
  }
}

}  // namespace

void InitServer(Napi::Env env, Napi::Object exports) {
  exports.Set("serveForks", Napi::Function::New(env, ServeForks, "serveForks"));
}

}  // namespace wat
