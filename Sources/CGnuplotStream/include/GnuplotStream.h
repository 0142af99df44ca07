// A running gnuplot fed through a pipe, for Swift (the Figures module). No public API of
// GradLab: Swift code uses `GnuplotSession` in Figures.
//
// The child reads commands and inline data on its stdin; its stdout (where `print` and the
// text terminal write, after `set print "-"`) and stderr (errors and warnings) come back on
// two pipes. Every pipe end the parent keeps is close-on-exec, so when the parent ends for
// any reason (a finished run, an error, Ctrl-C, kill -9) gnuplot reads end-of-file and exits.
// It runs in its own process group, so a Ctrl-C at the terminal reaches the parent only.
#ifndef GRADLAB_GNUPLOT_STREAM_H
#define GRADLAB_GNUPLOT_STREAM_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct GLGnuplot GLGnuplot;

/// 1 when the data go through gnuplot-iostream (Debian's libgnuplot-iostream-dev), 0 when
/// this build writes the same text through a plain stdio pipe (macOS, or the package missing).
int gl_gnuplot_uses_iostream(void);

/// Starts the gnuplot at `executable` (a path). NULL on failure, with the reason in `error`.
GLGnuplot *gl_gnuplot_start(const char *executable, char *error, size_t error_size);

/// gnuplot's process id, for tests that check nothing is left behind.
pid_t gl_gnuplot_pid(const GLGnuplot *gnuplot);

/// Sends `text` (gnuplot commands) and a line break. 0 on success, -1 when gnuplot is gone.
int gl_gnuplot_command(GLGnuplot *gnuplot, const char *text);

/// Sends `count` rows `x[i] y[i]` as inline data for one `'-'` of a plot command, ended by
/// "e". 0 on success, -1 when gnuplot is gone.
int gl_gnuplot_data(GLGnuplot *gnuplot, const double *x, const double *y, size_t count);

/// Waits (at most `timeout_ms`) until gnuplot has run every command sent so far. On return
/// `*output` holds what it wrote to stdout since the last sync (a text terminal's chart) and
/// `*errors` its stderr (errors and warnings), both NUL-terminated, to be freed with
/// `gl_gnuplot_free_text`. Returns 0, -1 when gnuplot exited (the texts say what it said
/// last), or -2 on timeout.
int gl_gnuplot_sync(GLGnuplot *gnuplot, int timeout_ms, char **output, char **errors);

void gl_gnuplot_free_text(char *text);

/// Closes gnuplot's stdin, waits up to `timeout_ms` for it to exit, kills it if it has not,
/// reaps it and frees `gnuplot`. Returns its wait status, or -1 if it had to be killed.
int gl_gnuplot_stop(GLGnuplot *gnuplot, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif
