/* SPDX-License-Identifier: Apache-2.0 */
/* Signal and window-size relay (see relay.h). */
#include "relay.h"

#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

/* What a shell's user sends a foreground job, SIGCONT included (a job
 * continued with fg must continue the container too). */
static const int relayed[] = {SIGINT,  SIGTERM, SIGHUP,   SIGQUIT,
                              SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

int rl_relay_signalfd(bool proxy, int extra, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof relayed / sizeof relayed[0]; i++)
        if (proxy || relayed[i] == SIGWINCH) sigaddset(&set, relayed[i]);
    if (extra) sigaddset(&set, extra);
    sigprocmask(SIG_BLOCK, &set, old);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

void rl_relay_winsize(int master)
{
    struct winsize ws;
    if (master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

void rl_relay_signals(int sfd, pid_t pid, int master)
{
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == sizeof si) {
        int sig = (int)si.ssi_signo;
        if (sig == SIGCHLD) continue;
        if (sig == SIGWINCH)
            rl_relay_winsize(master);
        else if (pid > 0)
            kill(pid, sig);
    }
}
