/* SPDX-License-Identifier: Apache-2.0 */
/* TCP: accept on the host, connect from a socket in the container's
 * netns, then splice each way through a pipe (the bytes stay in the
 * kernel). Level-triggered: each fd is watched for what its two halves
 * can do next. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "portfwd_int.h"

/* 256 kB: measured here, 1 MB pipes moved ~10% less through a published
 * port (longer bursts in the monitor starve the client and the server on
 * two cores); the kernel may give less */
#define PIPE_SIZE (1 << 18)

static void half_init(half_t *h, int from, int to)
{
    *h = (half_t){.from = from, .to = to, .pipe = {-1, -1}};
    if (pipe2(h->pipe, O_CLOEXEC | O_NONBLOCK) < 0) return;
    int size = fcntl(h->pipe[1], F_SETPIPE_SZ, PIPE_SIZE);
    if (size < 0) size = fcntl(h->pipe[1], F_GETPIPE_SZ);
    h->cap = size > 0 ? (size_t)size : 65536;
}

static void conn_close(rl_net_portfwd_t *f, conn_t *c)
{
    for (conn_t **p = &f->conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    rl_net_fwd_forget(f, &c->a);
    rl_net_fwd_forget(f, &c->b);
    for (int i = 0; i < 2; i++) {
        if (c->h[i].pipe[0] >= 0) close(c->h[i].pipe[0]);
        if (c->h[i].pipe[1] >= 0) close(c->h[i].pipe[1]);
    }
    free(c);
    rl_net_fwd_resume(f);
}

/* Move what can move now; -1 when the connection is broken. */
static int pump(half_t *h)
{
    for (bool progress = true; progress;) {
        progress = false;
        if (!h->eof && h->queued < h->cap) {
            ssize_t n = splice(h->from, NULL, h->pipe[1], NULL, h->cap - h->queued,
                               SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) h->queued += (size_t)n, progress = true;
            if (n == 0) h->eof = progress = true;
            if (n < 0 && errno != EAGAIN && errno != EINTR) return -1;
        }
        if (h->queued > 0) {
            ssize_t n =
                splice(h->pipe[0], NULL, h->to, NULL, h->queued, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) h->queued -= (size_t)n, progress = true;
            if (n < 0 && errno != EAGAIN && errno != EINTR) return -1;
        }
    }
    if (h->eof && h->queued == 0 && !h->done) {
        shutdown(h->to, SHUT_WR); /* the other side sees the end too */
        h->done = true;
    }
    return 0;
}

static uint32_t wanted(const conn_t *c, int fd)
{
    uint32_t ev = 0;
    for (int i = 0; i < 2; i++) {
        const half_t *h = &c->h[i];
        if (h->from == fd && !h->eof && h->queued < h->cap) ev |= EPOLLIN;
        if (h->to == fd && h->queued > 0) ev |= EPOLLOUT;
    }
    return ev;
}

static void rewatch(rl_net_portfwd_t *f, conn_t *c)
{
    uint32_t a = wanted(c, c->a), b = wanted(c, c->b);
    if (a != c->ev_a) rl_net_fwd_modify(f, c->a, c->ev_a = a);
    if (b != c->ev_b) rl_net_fwd_modify(f, c->b, c->ev_b = b);
}

/* The container sees the client's IPv4 address (loopback as the host's
 * slirp address); else, untransparent, 127.0.0.1. */
static bool source_for(const struct sockaddr_storage *peer, struct sockaddr_in *src)
{
    memset(src, 0, sizeof *src);
    src->sin_family = AF_INET;
    if (peer->ss_family == AF_INET) {
        *src = *(const struct sockaddr_in *)peer;
    } else {
        const struct sockaddr_in6 *p6 = (const struct sockaddr_in6 *)peer;
        if (!IN6_IS_ADDR_V4MAPPED(&p6->sin6_addr)) return false;
        memcpy(&src->sin_addr, &p6->sin6_addr.s6_addr[12], 4);
        src->sin_port = p6->sin6_port;
    }
    if ((ntohl(src->sin_addr.s_addr) >> 24) == 127) {
        inet_pton(AF_INET, "10.0.2.2", &src->sin_addr);
        src->sin_port = 0;
    }
    return true;
}

/* A socket in the container's netns, connecting to the port there. */
static int dial(rl_net_portfwd_t *f, const listener_t *l, const struct sockaddr_storage *peer)
{
    struct sockaddr_in src, dst = {.sin_family = AF_INET, .sin_port = htons(l->port.ctr_port)};
    bool transparent = source_for(peer, &src);
    int fd = rl_net_nshelper_socket(&f->helper, AF_INET, SOCK_STREAM, transparent);
    if (fd < 0) return -1;
    if (transparent) {
        inet_pton(AF_INET, "10.0.2.100", &dst.sin_addr);
        /* its own port when free (a lingering same 4-tuple: any port) */
        if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
            src.sin_port = 0;
            if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) return close(fd), -1;
        }
    } else {
        dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS)
        return close(fd), -1;
    return fd;
}

void rl_net_fwd_tcp_accept(rl_net_portfwd_t *f, listener_t *l)
{
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int a = accept4(l->fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        /* out of fds: the backlog keeps the rest until a connection ends */
        if (a < 0 && (errno == EMFILE || errno == ENFILE)) rl_net_fwd_pause(f, l);
        if (a < 0) return;
        int b = dial(f, l, &peer);
        if (b < 0) {
            rl_debug("port %u: no connection into the container: %s", (unsigned)l->port.host_port,
                     strerror(errno));
            close(a);
            continue;
        }
        if (rl_net_fwd_tcp_join(f, a, b, true) < 0) rl_net_fwd_pause(f, l); /* out of fds */
    }
}

int rl_net_fwd_tcp_join(rl_net_portfwd_t *f, int a, int b, bool connecting)
{
    conn_t *c = xcalloc(1, sizeof *c);
    c->a = a, c->b = b, c->connecting = connecting;
    half_init(&c->h[0], a, b);
    half_init(&c->h[1], b, a);
    c->next = f->conns, f->conns = c;
    c->ev_b = connecting ? EPOLLOUT : 0;
    bool pipes = c->h[0].pipe[0] >= 0 && c->h[1].pipe[0] >= 0;
    if (!pipes || rl_net_fwd_watch(f, a, 0, SLOT_CONN, c) < 0 ||
        rl_net_fwd_watch(f, b, c->ev_b, SLOT_CONN, c) < 0) {
        conn_close(f, c);
        return pipes ? 0 : -1;
    }
    if (!connecting) rewatch(f, c);
    return 0;
}

void rl_net_fwd_tcp_event(rl_net_portfwd_t *f, conn_t *c, int fd, uint32_t events)
{
    if (c->connecting) {
        int e = 0;
        socklen_t len = sizeof e;
        if (fd != c->b) {
            if (events & (EPOLLHUP | EPOLLERR)) conn_close(f, c); /* client gave up */
            return;
        }
        if (getsockopt(c->b, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e) {
            conn_close(f, c); /* nothing listens there: the client sees the close */
            return;
        }
        c->connecting = false;
    }
    if (pump(&c->h[0]) < 0 || pump(&c->h[1]) < 0 || (c->h[0].done && c->h[1].done)) {
        conn_close(f, c);
        return;
    }
    rewatch(f, c);
    /* a hang-up that nothing we wait for will answer */
    if ((events & (EPOLLHUP | EPOLLERR)) && wanted(c, fd) == 0) conn_close(f, c);
}

void rl_net_fwd_tcp_close_all(rl_net_portfwd_t *f)
{
    while (f->conns)
        conn_close(f, f->conns);
}
