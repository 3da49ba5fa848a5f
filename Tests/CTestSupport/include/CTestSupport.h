#ifndef DLX_CTESTSUPPORT_H
#define DLX_CTESTSUPPORT_H
#include <sys/types.h>
/// Starts `path` in a new session whose controlling terminal is a fresh pseudo-terminal.
/// Returns the child's pid and stores the master side in *master, or returns -1.
pid_t dlx_test_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int *master);
/// The same, with a terminal of `rows` by `cols` characters (the other is 24 by 80).
pid_t dlx_test_spawn_in_pty_sized(const char *path, char *const argv[], char *const envp[], int *master,
                                  int rows, int cols);
#endif
