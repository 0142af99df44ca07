// Starting a child whose whole process group ends when GradLab ends, in any way, kill -9
// included. No public API of GradLab: Swift code uses `ChildProcess` (ChildProcess module).
//
// posix_spawn cannot do this, and PR_SET_PDEATHSIG (Linux) fires when the *thread* that
// started the child exits and reaches the child alone, not what it starts. So the child gets
// a supervisor instead: right after the fork, before exec, the child forks a small process
// that stays in the child's new process group, holds the read end of a pipe whose write end
// only GradLab holds (close-on-exec), and kills the group (SIGKILL) as soon as that pipe reads
// end-of-file (GradLab is gone) or the child itself has ended (its parent changed). Only POSIX
// calls, so the same code runs on Linux and macOS.
#ifndef GRADLAB_CHILD_SPAWN_H
#define GRADLAB_CHILD_SPAWN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What failed when `gl_spawn` returns -1.
enum GLSpawnStep { GL_SPAWN_FORK = 0, GL_SPAWN_CHDIR = 1, GL_SPAWN_EXEC = 2 };

/// Starts `path` (no PATH search) with `argv` and `envp` (NULL-terminated), in `directory`
/// (NULL: here), with `input`, `output` and `error` as its descriptors 0, 1 and 2, as the
/// leader of a new process group, with default signal dispositions, nothing blocked and no
/// other descriptor of GradLab's. Returns its process id (also its group's id), or -1 with
/// the step that failed in `*step` and its errno in `*code`.
pid_t gl_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
               int input, int output, int error, int *step, int *code);

/// A pipe whose two ends are close-on-exec from the start (no other child started meanwhile
/// inherits them); 0, or -1 with errno set.
int gl_pipe(int ends[2]);

#ifdef __cplusplus
}
#endif

#endif
