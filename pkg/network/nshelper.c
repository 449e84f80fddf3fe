/* SPDX-License-Identifier: Apache-2.0 */
#include "nshelper.h"
#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/sock.h"
#include "portfwd.h"

typedef struct request {
    int32_t family, type, transparent;
} request_t;

#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT 19
#endif

static int make_socket(const request_t *q)
{
    int fd = socket(q->family, q->type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || !q->transparent) return fd;
    int one = 1;
    uint32_t mark = RL_NET_FWD_MARK;
    if (setsockopt(fd, SOL_IP, IP_TRANSPARENT, &one, sizeof one) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Only the channel stays open: the helper must not keep the monitor's
 * listeners, log or clients alive, nor the stdio of the rl that started
 * it (a caller reading that rl's output to its end would wait for us). */
static int enter(pid_t target, int chan)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/ns/user", (int)target);
    int user = open(p, O_RDONLY | O_CLOEXEC);
    snprintf(p, sizeof p, "/proc/%d/ns/net", (int)target);
    int net = open(p, O_RDONLY | O_CLOEXEC);
    if (user < 0 || net < 0) return -1;
    struct stat a, b;
    /* rl as root may run the container in its own user namespace */
    bool same = stat("/proc/self/ns/user", &a) == 0 && fstat(user, &b) == 0 && a.st_ino == b.st_ino;
    if (!same && setns(user, CLONE_NEWUSER) < 0) return -1;
    if (setns(net, CLONE_NEWNET) < 0) return -1;
    close(user), close(net);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(chan, 3) < 0) return -1;
    dup2(null, 0), dup2(null, 1), dup2(null, 2);
    syscall(SYS_close_range, 4, ~0U, 0);
    return 0;
}

static __attribute__((noreturn)) void serve(pid_t target, int chan)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* in the container's user namespace, never traceable from it */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int32_t ready = enter(target, chan) < 0 ? errno : 0;
    if (send(ready ? chan : 3, &ready, sizeof ready, MSG_NOSIGNAL) < 0 || ready) _exit(1);
    request_t q;
    for (;;) {
        ssize_t n = recv(3, &q, sizeof q, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n != sizeof q) _exit(0);
        int fd = make_socket(&q);
        int32_t e = fd < 0 ? errno : 0;
        rl_error_t err = RL_ERROR_INIT;
        if (rl_sock_send_fd(3, fd, &e, sizeof e, &err) < 0) _exit(1);
        if (fd >= 0) close(fd);
    }
}

int rl_net_nshelper_start(rl_net_nshelper_t *h, pid_t target, rl_error_t *err)
{
    int sv[2];
    h->pid = -1, h->fd = -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return rl_error_set(err, errno, "socketpair");
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]), close(sv[1]);
        return rl_error_set(err, errno, "fork the port helper");
    }
    if (pid == 0) {
        close(sv[0]);
        serve(target, sv[1]);
    }
    close(sv[1]);
    h->pid = pid, h->fd = sv[0];
    int32_t ready = -1;
    ssize_t n;
    while ((n = recv(h->fd, &ready, sizeof ready, 0)) < 0 && errno == EINTR) {
    }
    if (n == sizeof ready && ready == 0) return 0;
    rl_net_nshelper_stop(h);
    return rl_error_set(err, n == sizeof ready ? ready : 0,
                        "enter the container's network namespace for its published ports");
}

int rl_net_nshelper_socket(rl_net_nshelper_t *h, int family, int type, bool transparent)
{
    request_t q = {family, type, transparent};
    if (h->fd < 0) return errno = ENOTCONN, -1;
    if (send(h->fd, &q, sizeof q, MSG_NOSIGNAL) != sizeof q) return -1;
    int32_t e = EIO;
    int fd = -1;
    rl_error_t err = RL_ERROR_INIT;
    ssize_t n = rl_sock_recv_fd(h->fd, &fd, &e, sizeof e, &err);
    rl_error_clear(&err);
    if (n != sizeof e || fd < 0) {
        if (fd >= 0) close(fd);
        return errno = n == sizeof e && e ? e : EIO, -1;
    }
    return fd;
}

void rl_net_nshelper_stop(rl_net_nshelper_t *h)
{
    if (h->fd >= 0) close(h->fd);
    h->fd = -1;
    if (h->pid > 0)
        while (waitpid(h->pid, NULL, __WALL) < 0 && errno == EINTR) {
        }
    h->pid = -1;
}
