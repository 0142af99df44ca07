// The gnuplot child behind `GnuplotSession` (Figures): spawned with three pipes, fed commands
// and inline data, synchronised by a marker it prints, stopped and reaped. The data rows go
// through gnuplot-iostream when the build has it (GRADLAB_GNUPLOT_IOSTREAM, set by
// Package.swift when /usr/include/gnuplot-iostream.h exists); otherwise the same text goes
// through a plain stdio pipe, so macOS and a Linux without the package still draw.
#include "GnuplotStream.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(GRADLAB_GNUPLOT_IOSTREAM) && __has_include(<gnuplot-iostream.h>)
#include <gnuplot-iostream.h>
#define GL_USES_IOSTREAM 1
#else
#define GL_USES_IOSTREAM 0
#if defined(__linux__)
#warning "gnuplot-iostream.h not found: live figures write to gnuplot through a plain pipe. Install libgnuplot-iostream-dev (`make deps` does) and rebuild from clean (rm -rf .build) to stream through gnuplot-iostream."
#endif
#endif

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;

/// Blocks SIGPIPE on this thread while it writes to a gnuplot that may have died, and takes
/// back the signal a failed write raised: a dead gnuplot becomes an error code (EPIPE) rather
/// than the end of the whole program.
class SigpipeGuard {
public:
  SigpipeGuard() {
    sigemptyset(&pipeSignal_);
    sigaddset(&pipeSignal_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    wasPending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipeSignal_, &previous_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!wasPending_ && sigismember(&pending, SIGPIPE) == 1) {
      int signal = 0;
      sigwait(&pipeSignal_, &signal);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard &) = delete;
  SigpipeGuard &operator=(const SigpipeGuard &) = delete;

private:
  sigset_t pipeSignal_;
  sigset_t previous_;
  bool wasPending_ = false;
};

/// A pipe whose two ends are close-on-exec, so no other child inherits them.
bool makePipe(int ends[2]) {
#if defined(__linux__)
  return pipe2(ends, O_CLOEXEC) == 0;
#else
  if (pipe(ends) != 0) return false;
  fcntl(ends[0], F_SETFD, FD_CLOEXEC);
  fcntl(ends[1], F_SETFD, FD_CLOEXEC);
  return true;
#endif
}

void closeAll(std::initializer_list<int> fds) {
  for (int fd : fds)
    if (fd >= 0) close(fd);
}

char *copyText(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

/// Appends what `fd` has to `into`; false at end of file or on an error.
bool readAvailable(int fd, std::string &into) {
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append(buffer, static_cast<size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

}  // namespace

struct GLGnuplot {
  pid_t pid = -1;
  int outputFD = -1;  // gnuplot's stdout
  int errorFD = -1;   // gnuplot's stderr
  unsigned long syncs = 0;
#if GL_USES_IOSTREAM
  gnuplotio::Gnuplot *stream = nullptr;
#else
  FILE *stream = nullptr;
#endif
  std::string output;  // stdout read but not handed out yet
  std::string errors;

  bool write(const std::string &text) {
    SigpipeGuard guard;
#if GL_USES_IOSTREAM
    try {
      *stream << text << std::flush;
      return stream->good();
    } catch (...) {
      return false;
    }
#else
    return std::fputs(text.c_str(), stream) >= 0 && std::fflush(stream) == 0;
#endif
  }

  bool sendRows(const double *x, const double *y, size_t count) {
    SigpipeGuard guard;
#if GL_USES_IOSTREAM
    try {
      std::vector<std::pair<double, double>> rows;
      rows.reserve(count);
      for (size_t i = 0; i < count; i++) rows.emplace_back(x[i], y[i]);
      stream->send1d(rows);  // "x y" per row, then gnuplot's end-of-data "e"
      return stream->good();
    } catch (...) {
      return false;
    }
#else
    for (size_t i = 0; i < count; i++)
      if (std::fprintf(stream, "%.17g %.17g\n", x[i], y[i]) < 0) return false;
    return std::fputs("e\n", stream) >= 0 && std::fflush(stream) == 0;
#endif
  }

  /// Closes gnuplot's stdin: it reads end-of-file and exits.
  void closeInput() {
    if (!stream) return;
    SigpipeGuard guard;
#if GL_USES_IOSTREAM
    try {
      delete stream;
    } catch (...) {
    }
#else
    std::fclose(stream);
#endif
    stream = nullptr;
  }
};

extern "C" {

int gl_gnuplot_uses_iostream(void) { return GL_USES_IOSTREAM; }

GLGnuplot *gl_gnuplot_start(const char *executable, char *error, size_t error_size) {
  auto fail = [&](const char *what, int code) -> GLGnuplot * {
    if (error && error_size > 0) std::snprintf(error, error_size, "%s: %s", what, std::strerror(code));
    return nullptr;
  };
  int input[2] = {-1, -1}, output[2] = {-1, -1}, errors[2] = {-1, -1};
  if (!makePipe(input) || !makePipe(output) || !makePipe(errors)) {
    int code = errno;
    closeAll({input[0], input[1], output[0], output[1], errors[0], errors[1]});
    return fail("cannot create pipes", code);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errors[1], STDERR_FILENO);
  // Its own process group (Ctrl-C reaches the parent, which ends it), default signal
  // handling and no blocked signals, whatever the parent set up.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigemptyset(&defaults);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigdefault(&attributes, &defaults);

  pid_t pid = -1;
  char *arguments[] = {const_cast<char *>(executable), nullptr};
  int code = posix_spawn(&pid, executable, &actions, &attributes, arguments, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  closeAll({input[0], output[1], errors[1]});
  if (code != 0) {
    closeAll({input[1], output[0], errors[0]});
    return fail(executable, code);
  }

  auto *gnuplot = new GLGnuplot;
  gnuplot->pid = pid;
  gnuplot->outputFD = output[0];
  gnuplot->errorFD = errors[0];
  FILE *file = fdopen(input[1], "w");
  if (!file) {
    int fdopenError = errno;
    close(input[1]);
    gl_gnuplot_stop(gnuplot, 0);
    return fail("cannot open gnuplot's input", fdopenError);
  }
#if GL_USES_IOSTREAM
  try {
    gnuplot->stream = new gnuplotio::Gnuplot(file);
  } catch (...) {
    std::fclose(file);
    gl_gnuplot_stop(gnuplot, 0);
    return fail("cannot open gnuplot-iostream on gnuplot's input", EIO);
  }
#else
  gnuplot->stream = file;
#endif
  // `print` writes to stdout, after the text terminal's output: the sync marker's channel.
  gnuplot->write("set print \"-\"\n");
  return gnuplot;
}

pid_t gl_gnuplot_pid(const GLGnuplot *gnuplot) { return gnuplot->pid; }

int gl_gnuplot_command(GLGnuplot *gnuplot, const char *text) {
  if (!gnuplot->stream) return -1;
  return gnuplot->write(std::string(text) + "\n") ? 0 : -1;
}

int gl_gnuplot_data(GLGnuplot *gnuplot, const double *x, const double *y, size_t count) {
  if (!gnuplot->stream) return -1;
  return gnuplot->sendRows(x, y, count) ? 0 : -1;
}

int gl_gnuplot_sync(GLGnuplot *gnuplot, int timeout_ms, char **output, char **errors) {
  *output = nullptr;
  *errors = nullptr;
  char marker[64];
  std::snprintf(marker, sizeof marker, "gradlab-sync-%ld-%lu", static_cast<long>(gnuplot->pid), ++gnuplot->syncs);
  int result = -1;
  if (gnuplot->stream && gnuplot->write(std::string("print \"") + marker + "\"\n")) {
    const std::string needle = std::string(marker) + "\n";
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    bool outputOpen = true, errorsOpen = true;
    for (;;) {
      // The marker may follow the text terminal's last colour reset on the same line.
      size_t at = gnuplot->output.find(needle);
      if (at != std::string::npos) {
        // stderr is unbuffered: what gnuplot said before the marker is in the pipe already.
        pollfd rest = {gnuplot->errorFD, POLLIN, 0};
        while (errorsOpen && poll(&rest, 1, 0) > 0) errorsOpen = readAvailable(gnuplot->errorFD, gnuplot->errors);
        *output = copyText(gnuplot->output.substr(0, at));
        gnuplot->output.erase(0, at + needle.size());
        result = 0;
        break;
      }
      if (!outputOpen) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        result = -2;
        break;
      }
      pollfd fds[2] = {{gnuplot->outputFD, POLLIN, 0}, {errorsOpen ? gnuplot->errorFD : -1, POLLIN, 0}};
      int ready = poll(fds, 2, static_cast<int>(left));
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
      if (fds[1].revents) errorsOpen = readAvailable(gnuplot->errorFD, gnuplot->errors);
      if (fds[0].revents) outputOpen = readAvailable(gnuplot->outputFD, gnuplot->output);
    }
    if (result == -1) {  // gnuplot exited: keep what it said last
      while (errorsOpen) errorsOpen = readAvailable(gnuplot->errorFD, gnuplot->errors);
      *output = copyText(gnuplot->output);
      gnuplot->output.clear();
    }
  }
  *errors = copyText(gnuplot->errors);
  gnuplot->errors.clear();
  if (!*output) *output = copyText("");
  return result;
}

void gl_gnuplot_free_text(char *text) { std::free(text); }

int gl_gnuplot_stop(GLGnuplot *gnuplot, int timeout_ms) {
  gnuplot->closeInput();
  // Nobody reads its output any more: a gnuplot still writing gets EPIPE rather than blocking.
  closeAll({gnuplot->outputFD, gnuplot->errorFD});
  int status = -1;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool reaped = false;
  while (!reaped) {
    pid_t done = waitpid(gnuplot->pid, &status, WNOHANG);
    if (done == gnuplot->pid) {
      reaped = true;
    } else if (done < 0 && errno != EINTR) {
      break;  // not our child any more (reaped elsewhere)
    } else if (Clock::now() >= deadline) {
      kill(gnuplot->pid, SIGKILL);
      while (waitpid(gnuplot->pid, &status, 0) < 0 && errno == EINTR) {
      }
      status = -1;
      reaped = true;
    } else {
      usleep(2000);
    }
  }
  delete gnuplot;
  return status;
}

}  // extern "C"
