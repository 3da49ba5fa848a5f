#define _GNU_SOURCE
#include "CTestSupport.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ioctl.h>

pid_t dlx_test_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int *master) {
    return dlx_test_spawn_in_pty_sized(path, argv, envp, master, 24, 80);
}

pid_t dlx_test_spawn_in_pty_sized(const char *path, char *const argv[], char *const envp[], int *master,
                                  int rows, int cols) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) return -1;
    struct winsize size = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    ioctl(m, TIOCSWINSZ, &size);
    // ptsname's static buffer would be shared by tests running in parallel: use the reentrant form.
    char name[128];
    if (ptsname_r(m, name, sizeof name) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, 0);   // the test runner's blocked signals must not reach dlx
        signal(SIGINT, SIG_DFL);
        setsid();
        int s = open(name, O_RDWR);   // the first terminal a session leader opens becomes its controlling one
        if (s < 0) _exit(127);
        dup2(s, 0); dup2(s, 1); dup2(s, 2);
        if (s > 2) close(s);
        close(m);
        execve(path, argv, envp);
        _exit(127);
    }
    *master = m;
    return pid;
}
