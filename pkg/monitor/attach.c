/* SPDX-License-Identifier: Apache-2.0 */
#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/sock.h"
#include "rootless/rundir.h"

char *rl_mon_attach_path(const char *id, bool make_dir, rl_error_t *err)
{
    rl_autofree char *base = rl_rundir_base(err);
    if (!base) return NULL;
    rl_autofree char *dir = xasprintf("%s/rl/attach", base);
    if (make_dir) {
        rl_autofree char *rl = xasprintf("%s/rl", base);
        if (rl_rundir_ensure_private(rl, err) < 0 || rl_rundir_ensure_private(dir, err) < 0)
            return NULL;
    }
    return xasprintf("%s/%s", dir, id);
}

int rl_mon_attach_listen(const char *path, rl_error_t *err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return rl_error_set(err, ENAMETOOLONG, "attach socket '%s'", path);
    strcpy(sa.sun_path, path);
    unlink(path); /* a socket a killed monitor left */
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) return rl_error_set(err, errno, "socket");
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 8) < 0) {
        rl_error_set(err, errno, "attach socket '%s'", path);
        close(s);
        return -1;
    }
    return s;
}

int rl_mon_attach_connect(const char *id, rl_error_t *err)
{
    rl_autofree char *p = rl_mon_attach_path(id, false, err);
    if (!p) return -1;
    int fd = rl_sock_connect_path(p, SOCK_SEQPACKET, err);
    if (fd < 0) rl_error_wrap(err, "attach to container %.12s (is its monitor running?)", id);
    return fd;
}

/* --- the client --- */

static const int proxied[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void send_packet(int fd, char type, const void *data, size_t n)
{
    char buf[RL_ATTACH_PACKET + 1];
    buf[0] = type;
    memcpy(buf + 1, data, n);
    while (send(fd, buf, n + 1, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

static void send_winsize(int fd)
{
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) < 0 && ioctl(1, TIOCGWINSZ, &ws) < 0) return;
    char msg[32];
    int n = snprintf(msg, sizeof msg, "%u %u", ws.ws_row, ws.ws_col);
    send_packet(fd, 'w', msg, (size_t)n);
}

static int make_signalfd(const rl_mon_attach_opts_t *o, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    for (size_t i = 0; o->sig_proxy && i < sizeof proxied / sizeof proxied[0]; i++)
        sigaddset(&set, proxied[i]);
    sigprocmask(SIG_BLOCK, &set, old);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void on_signals(int sfd, int sock)
{
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGWINCH) {
            send_winsize(sock);
            continue;
        }
        char msg[16];
        int n = snprintf(msg, sizeof msg, "%u", si.ssi_signo);
        send_packet(sock, 's', msg, (size_t)n);
    }
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w, n -= (size_t)w;
    }
}

/* One packet from the monitor; returns 1 on exit (code in *code), -1 on
 * EOF, 0 otherwise. */
static int on_packet(int sock, int *code)
{
    char buf[RL_ATTACH_PACKET + 2];
    ssize_t n = recv(sock, buf, sizeof buf - 1, 0);
    if (n < 0) return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0) return -1;
    if (buf[0] == 'o' || buf[0] == 'e') write_all(buf[0] == 'o' ? 1 : 2, buf + 1, (size_t)n - 1);
    if (buf[0] != 'x') return 0;
    buf[n] = '\0';
    *code = atoi(buf + 1);
    return 1;
}

/* Our stdin: through the detach-key matcher. Returns true on detach. */
static bool on_stdin(rl_mon_attach_opts_t *o, bool *open_)
{
    unsigned char in[RL_ATTACH_PACKET - RL_DETACH_KEYS_MAX], out[RL_ATTACH_PACKET];
    ssize_t n = read(0, in, sizeof in);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return false;
    if (n <= 0) {
        send_packet(o->fd, 'c', "", 0);
        *open_ = false;
        return false;
    }
    size_t m;
    bool detach = o->tty && rl_mon_detach_keys_feed(&o->keys, in, (size_t)n, out, &m);
    if (!o->tty) memcpy(out, in, m = (size_t)n);
    if (m) send_packet(o->fd, 'i', out, m);
    return detach;
}

int rl_mon_attach_client(rl_mon_attach_opts_t *o, rl_error_t *err)
{
    sigset_t old;
    rl_autoclose int sfd = make_signalfd(o, &old);
    struct termios saved;
    bool raw = o->tty && o->stdin_on && isatty(0) && tcgetattr(0, &saved) == 0;
    if (raw) {
        struct termios t = saved;
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
    }
    if (o->tty) send_winsize(o->fd);
    bool in_open = o->stdin_on;
    int code = -1, r = 0;
    while (r == 0) {
        struct pollfd p[3] = {{o->fd, POLLIN, 0}, {sfd, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}};
        if (poll(p, 3, -1) < 0 && errno != EINTR) break;
        if (p[1].revents) on_signals(sfd, o->fd);
        if (p[2].revents && on_stdin(o, &in_open)) r = RL_ATTACH_DETACHED;
        if (p[0].revents && r == 0) r = on_packet(o->fd, &code);
    }
    if (raw) tcsetattr(0, TCSADRAIN, &saved);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (r == RL_ATTACH_DETACHED) return r;
    if (r < 0) return rl_error_set(err, 0, "the container's monitor went away before it exited");
    return code;
}
