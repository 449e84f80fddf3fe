/* SPDX-License-Identifier: Apache-2.0 */
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "pkg/network/portfwd.h"
#include "pkg/network/slirp.h"
#include "pkg/runtime/relay.h"
#include "pkg/util/evloop.h"

static int watch(rl_mon_loop_t *l, int fd, rl_ev_fn fn)
{
    if (fd < 0) return 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return rl_ev_add(l->ev, fd, EPOLLIN, fn, l);
}

static void unwatch(rl_mon_loop_t *l, int *fd)
{
    if (*fd < 0) return;
    rl_ev_del(l->ev, *fd);
    close(*fd);
    *fd = -1;
}

static void on_client(void *arg, int fd, uint32_t events);

void rl_mon_loop_init(rl_mon_loop_t *l)
{
    memset(l, 0, sizeof *l);
    l->ev = rl_ev_new();
    l->listen = l->sigfd = l->local_out = l->local_err = -1;
    l->pidfd = l->out = l->err = l->in = -1;
    l->log.fd = -1;
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++)
        l->clients[i] = -1;
}

void rl_mon_loop_add_client(rl_mon_loop_t *l, int fd)
{
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++) {
        if (l->clients[i] >= 0) continue;
        /* a client that stops reading must not stall the container for long */
        struct timeval tv = {.tv_sec = 5};
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        rl_ev_add(l->ev, fd, EPOLLIN, on_client, l);
        l->clients[i] = fd;
        return;
    }
    close(fd); /* full */
}

static void drop_client(rl_mon_loop_t *l, int fd)
{
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++)
        if (l->clients[i] == fd) unwatch(l, &l->clients[i]);
}

static void broadcast(rl_mon_loop_t *l, char type, const char *data, size_t n)
{
    char buf[RL_ATTACH_PACKET + 1];
    buf[0] = type;
    memcpy(buf + 1, data, n);
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++) {
        int fd = l->clients[i];
        if (fd < 0) continue;
        ssize_t w;
        while ((w = send(fd, buf, n + 1, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        if (w < 0) drop_client(l, fd);
    }
}

/* Blocking writes to a non-blocking fd (the pty master): wait a little. */
static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = {fd, POLLOUT, 0};
            if (poll(&pf, 1, 5000) <= 0) return false;
            continue;
        }
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

/* Our own stdout went away (`rl run ... | head`): close the container's
 * end too, so that it gets SIGPIPE as it would writing there itself. */
static void local_gone(rl_mon_loop_t *l, int *local, int *src)
{
    close(*local);
    *local = -1;
    if (!l->tty) unwatch(l, src);
}

static void relay(rl_mon_loop_t *l, int *fd, bool is_err)
{
    char buf[RL_ATTACH_PACKET];
    int *local = is_err ? &l->local_err : &l->local_out;
    while (*fd >= 0) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) { /* EOF, or EIO from a pty whose other side is gone */
            unwatch(l, fd);
            return;
        }
        if (l->log_on) rl_mon_log_write(&l->log, is_err ? "stderr" : "stdout", buf, (size_t)n);
        broadcast(l, is_err ? 'e' : 'o', buf, (size_t)n);
        if (*local >= 0 && !write_all(*local, buf, (size_t)n)) local_gone(l, local, fd);
    }
}

static void set_winsize(int master, const char *text)
{
    unsigned rows, cols;
    if (master < 0 || sscanf(text, "%u %u", &rows, &cols) != 2) return;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    ioctl(master, TIOCSWINSZ, &ws);
}

static void on_client(void *arg, int fd, uint32_t events)
{
    (void)events;
    rl_mon_loop_t *l = arg;
    char buf[RL_ATTACH_PACKET + 2];
    ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        drop_client(l, fd);
        return;
    }
    buf[n] = '\0';
    switch (buf[0]) {
    case 'i':
        if (l->in >= 0) write_all(l->in, buf + 1, (size_t)n - 1);
        break;
    case 'c':
        if (!l->tty && l->in >= 0) close(l->in), l->in = -1;
        break;
    case 'w':
        if (l->tty) set_winsize(l->out, buf + 1);
        break;
    case 's': {
        int sig = atoi(buf + 1);
        if (sig > 0 && sig < 65 && l->pid > 0) kill(l->pid, sig);
        break;
    }
    }
}

static void on_signals(void *arg, int fd, uint32_t events)
{
    (void)fd, (void)events;
    rl_mon_loop_t *l = arg;
    rl_relay_signals(l->sigfd, l->pid, l->tty ? l->out : -1);
}

static void on_listen(void *arg, int fd, uint32_t events)
{
    (void)fd, (void)events;
    rl_mon_loop_t *l = arg;
    while ((fd = accept4(l->listen, NULL, NULL, SOCK_CLOEXEC)) >= 0)
        rl_mon_loop_add_client(l, fd);
}

static void on_exit_of(void *arg, int fd, uint32_t events)
{
    (void)fd, (void)events;
    ((rl_mon_loop_t *)arg)->exited = true;
}

static void on_out(void *arg, int fd, uint32_t events)
{
    (void)fd, (void)events;
    rl_mon_loop_t *l = arg;
    relay(l, &l->out, false);
}

static void on_err(void *arg, int fd, uint32_t events)
{
    (void)fd, (void)events;
    rl_mon_loop_t *l = arg;
    relay(l, &l->err, true);
}

/* One round of events. With slirp: poll() its sockets, its tap and the
 * loop's fd together (slirp's set changes at every round, the loop's does
 * not); then what is ready. */
static void dispatch(rl_mon_loop_t *l, int timeout)
{
    if (!l->slirp) {
        rl_ev_run(l->ev, timeout);
        return;
    }
    enum { MAX_FDS = 1024 };
    static struct pollfd fds[MAX_FDS];
    fds[0] = (struct pollfd){.fd = rl_ev_fd(l->ev), .events = POLLIN};
    size_t n = 1 + rl_net_slirp_fill(l->slirp, fds + 1, MAX_FDS - 1, &timeout);
    int r = poll(fds, n, timeout);
    if (r < 0 && errno != EINTR) r = -1;
    rl_net_slirp_poll(l->slirp, fds + 1, n - 1, r < 0);
    if (fds[0].revents & POLLIN) rl_ev_run(l->ev, 0);
}

int rl_mon_loop_attach_run(rl_mon_loop_t *l)
{
    if (!l->armed) {
        l->armed = true;
        watch(l, l->listen, on_listen);
        watch(l, l->sigfd, on_signals);
    }
    l->exited = false;
    if (watch(l, l->pidfd, on_exit_of) < 0) return -1;
    watch(l, l->out, on_out);
    watch(l, l->err, on_err);
    return 0;
}

int rl_mon_loop_forward(rl_mon_loop_t *l, struct rl_net_portfwd *fwd, rl_error_t *err)
{
    l->fwd = fwd;
    return rl_net_portfwd_attach(fwd, l->pid, l->ev, err);
}

/* The init's status; we are its subreaper, so collect orphans too. */
static int reap(pid_t pid)
{
    int status = 0, st;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    while (waitpid(-1, &st, WNOHANG | __WALL) > 0) {
    }
    return status;
}

void rl_mon_loop_wait_done(rl_mon_loop_t *l)
{
    unwatch(l, &l->out);
    unwatch(l, &l->err);
    unwatch(l, &l->pidfd);
    if (l->in >= 0 && !l->tty) close(l->in);
    l->in = -1;
    /* its network goes with it; a restart makes a new one */
    rl_net_slirp_free(l->slirp);
    l->slirp = NULL;
    rl_net_portfwd_detach(l->fwd);
}

int rl_mon_loop_wait(rl_mon_loop_t *l)
{
    while (!l->exited)
        dispatch(l, -1);
    /* what the container wrote before it went */
    relay(l, &l->out, false);
    relay(l, &l->err, true);
    rl_mon_loop_wait_done(l);
    int status = reap(l->pid);
    l->pid = -1;
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void rl_mon_loop_idle(rl_mon_loop_t *l, int ms)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int left = ms; left > 0;) {
        dispatch(l, left);
        clock_gettime(CLOCK_MONOTONIC, &t);
        left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
    }
}

void rl_mon_loop_say_exit(rl_mon_loop_t *l, int code)
{
    char msg[16];
    int n = snprintf(msg, sizeof msg, "%d", code);
    broadcast(l, 'x', msg, (size_t)n);
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++)
        unwatch(l, &l->clients[i]);
}

void rl_mon_loop_close(rl_mon_loop_t *l)
{
    unwatch(l, &l->listen);
    unwatch(l, &l->sigfd);
    for (int i = 0; i < RL_MON_MAX_CLIENTS; i++)
        unwatch(l, &l->clients[i]);
    if (l->log_on) rl_mon_log_close(&l->log);
    rl_ev_free(l->ev);
    l->ev = NULL;
}
