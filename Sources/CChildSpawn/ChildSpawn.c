// See ChildSpawn.h. Between fork and exec only async-signal-safe calls: GradLab has threads,
// and the child holds a copy of their locks. On Linux `_Fork` skips the atfork handlers
// (OpenBLAS's among them), which would run in a process that lacks their threads.
#define _GNU_SOURCE
#include "ChildSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#if defined(__linux__)
#define GL_FORK _Fork
#else
#define GL_FORK fork
#endif

/// The supervision pipe, one for the whole process: the write end stays open, here only,
/// until GradLab ends; every supervisor holds a copy of the read end.
static int supervision[2] = {-1, -1};
static int supervisionError = 0;
static pthread_once_t supervisionOnce = PTHREAD_ONCE_INIT;

static void openSupervision(void) {
  if (gl_pipe(supervision) != 0) supervisionError = errno;
}

/// Closes every descriptor from `lowest` up; `highest` is the last one to try without close_range.
static void closeFrom(int lowest, long highest) {
#if defined(SYS_close_range)
  if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
#endif
  for (long fd = lowest; fd <= highest; fd++) close((int)fd);
}

/// Writes the failed step and errno to the parent, then ends this child.
static void report(int fd, int step, int code) {
  int message[2] = {step, code};
  ssize_t ignored = write(fd, message, sizeof message);
  (void)ignored;
  _exit(127);
}

/// The supervisor: descriptor 3 is the supervision pipe's read end, `child` its parent.
static void supervise(pid_t child) {
  for (;;) {
    struct pollfd end = {3, POLLIN, 0};
    // Nobody writes to the pipe: readiness means end-of-file, GradLab is gone.
    if (poll(&end, 1, 100) > 0 || getppid() != child) {
      kill(0, SIGKILL);  // the whole group, this process included
      _exit(0);
    }
  }
}

pid_t gl_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
               int input, int output, int error, int *step, int *code) {
  *step = GL_SPAWN_FORK;
  pthread_once(&supervisionOnce, openSupervision);
  if (supervision[0] < 0) {
    *code = supervisionError;
    return -1;
  }
  int reportPipe[2];
  if (gl_pipe(reportPipe) != 0) {
    *code = errno;
    return -1;
  }
  long highest = sysconf(_SC_OPEN_MAX);
  if (highest < 0 || highest > 65536) highest = 65536;

  pid_t pid = GL_FORK();
  if (pid < 0) {
    *code = errno;
    close(reportPipe[0]);
    close(reportPipe[1]);
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    // Default dispositions and no blocked signal, for the supervisor and the program.
    struct sigaction defaults = {0};
    defaults.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++)
      if (number != SIGKILL && number != SIGSTOP) sigaction(number, &defaults, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    // Out of the way first (any of them may be 0...4), then to 0, 1, 2, 3 and 4.
    int kept[5] = {input, output, error, supervision[0], reportPipe[1]};
    for (int k = 0; k < 5; k++)
      if ((kept[k] = fcntl(kept[k], F_DUPFD, 10)) < 0) report(reportPipe[1], GL_SPAWN_FORK, errno);
    for (int k = 0; k < 5; k++)
      if (dup2(kept[k], k) < 0) report(kept[4], GL_SPAWN_FORK, errno);
    closeFrom(5, highest);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    fcntl(4, F_SETFD, FD_CLOEXEC);

    pid_t self = getpid();
    pid_t supervisor = GL_FORK();
    if (supervisor < 0) report(4, GL_SPAWN_FORK, errno);
    if (supervisor == 0) {
      close(0);
      close(1);
      close(2);
      close(4);
      supervise(self);
    }
    close(3);
    if (directory && chdir(directory) != 0) report(4, GL_SPAWN_CHDIR, errno);
    execve(path, argv, envp);
    report(4, GL_SPAWN_EXEC, errno);
  }
  // Also here, so a kill of the group right after this call cannot miss the child.
  setpgid(pid, pid);
  close(reportPipe[1]);
  int message[2];
  ssize_t got;
  do {
    got = read(reportPipe[0], message, sizeof message);
  } while (got < 0 && errno == EINTR);
  close(reportPipe[0]);
  if (got == (ssize_t)sizeof message) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    *step = message[0];
    *code = message[1];
    return -1;
  }
  return pid;
}

int gl_pipe(int ends[2]) {
#if defined(__linux__)
  return pipe2(ends, O_CLOEXEC);
#else
  if (pipe(ends) != 0) return -1;
  fcntl(ends[0], F_SETFD, FD_CLOEXEC);
  fcntl(ends[1], F_SETFD, FD_CLOEXEC);
  return 0;
#endif
}
