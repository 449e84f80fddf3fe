/* SPDX-License-Identifier: Apache-2.0 */
/* A foreground container: forward signals, relay the terminal, reap. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "container.h"
#include "relay.h"
#include "pkg/util/cleanup.h"

/* Reap every child; true once pid is gone, its status in *status. */
static bool reap(pid_t pid, int *status)
{
    bool done = false;
    int st;
    pid_t r;
    while ((r = waitpid(-1, &st, WNOHANG)) > 0)
        if (r == pid) *status = st, done = true;
    if (r < 0 && errno == ECHILD && !done) {
        /* not our child (already reaped elsewhere): poll it by signal 0 */
        if (kill(pid, 0) < 0) *status = 0, done = true;
    }
    return done;
}

static bool pump(int from, int to)
{
    char buf[8192];
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0) return n < 0 && (errno == EAGAIN || errno == EINTR);
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return false;
        off += w;
    }
    return true;
}

int rl_foreground_wait(pid_t pid, int master, rl_error_t *err)
{
    sigset_t old;
    rl_autoclose int sfd = rl_relay_signalfd(true, SIGCHLD, &old);
    if (sfd < 0) return rl_error_set(err, errno, "signalfd");
    struct termios saved;
    bool raw = master >= 0 && isatty(0) && tcgetattr(0, &saved) == 0;
    if (raw) {
        struct termios t = saved;
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
        rl_relay_winsize(master);
    }
    int status = 0;
    bool exited = false, in_open = master >= 0, out_open = master >= 0;
    while (!exited || out_open) {
        /* SIGCHLD is blocked from here on, but the child may have exited
         * before: reap first, then sleep on the signalfd. */
        if (!exited) exited = reap(pid, &status);
        if (exited && !out_open) break;
        struct pollfd p[3] = {
            {sfd, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {out_open ? master : -1, POLLIN, 0}};
        if (poll(p, 3, exited ? 100 : -1) < 0 && errno != EINTR) break;
        if (p[0].revents) rl_relay_signals(sfd, pid, master);
        if (!exited) exited = reap(pid, &status);
        if (p[1].revents && !pump(0, master)) in_open = false;
        if (p[2].revents && !pump(master, 1)) out_open = false;
        if (exited && out_open && !p[2].revents) out_open = false; /* drained */
    }
    if (raw) tcsetattr(0, TCSANOW, &saved);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
