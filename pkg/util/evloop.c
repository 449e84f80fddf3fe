/* SPDX-License-Identifier: Apache-2.0 */
/* Registered event sources over epoll (see evloop.h). */
#include "evloop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "xalloc.h"

typedef struct source {
    rl_ev_fn fn;
    void *arg;
    uint32_t gen; /* of this registration: an event of an older one is stale */
} source_t;

struct rl_ev {
    int ep;
    source_t *src; /* by fd */
    size_t nsrc;
    uint32_t gen;
};

rl_ev_t *rl_ev_new(void)
{
    rl_ev_t *ev = xcalloc(1, sizeof *ev);
    ev->ep = epoll_create1(EPOLL_CLOEXEC);
    if (ev->ep < 0) {
        free(ev);
        return NULL;
    }
    return ev;
}

void rl_ev_free(rl_ev_t *ev)
{
    if (!ev) return;
    close(ev->ep);
    free(ev->src);
    free(ev);
}

/* epoll's data: the fd and the registration's generation, so that an event
 * taken before a callback replaced the fd's source is dropped. */
static uint64_t data_of(int fd, uint32_t gen)
{
    return ((uint64_t)gen << 32) | (uint32_t)fd;
}

int rl_ev_add(rl_ev_t *ev, int fd, uint32_t events, rl_ev_fn fn, void *arg)
{
    if (fd < 0) return errno = EBADF, -1;
    if ((size_t)fd >= ev->nsrc) {
        size_t n = (size_t)fd * 2 + 16;
        ev->src = xrealloc(ev->src, n * sizeof *ev->src);
        memset(ev->src + ev->nsrc, 0, (n - ev->nsrc) * sizeof *ev->src);
        ev->nsrc = n;
    }
    uint32_t gen = ++ev->gen ? ev->gen : ++ev->gen; /* never 0: 0 is "none" */
    struct epoll_event e = {.events = events, .data.u64 = data_of(fd, gen)};
    if (epoll_ctl(ev->ep, EPOLL_CTL_ADD, fd, &e) < 0) return -1;
    ev->src[fd] = (source_t){fn, arg, gen};
    return 0;
}

int rl_ev_mod(rl_ev_t *ev, int fd, uint32_t events)
{
    if (fd < 0 || (size_t)fd >= ev->nsrc || !ev->src[fd].gen) return errno = ENOENT, -1;
    struct epoll_event e = {.events = events, .data.u64 = data_of(fd, ev->src[fd].gen)};
    return epoll_ctl(ev->ep, EPOLL_CTL_MOD, fd, &e);
}

void rl_ev_del(rl_ev_t *ev, int fd)
{
    if (fd < 0 || (size_t)fd >= ev->nsrc || !ev->src[fd].gen) return;
    epoll_ctl(ev->ep, EPOLL_CTL_DEL, fd, NULL);
    ev->src[fd] = (source_t){0};
}

int rl_ev_fd(const rl_ev_t *ev)
{
    return ev->ep;
}

int rl_ev_run(rl_ev_t *ev, int timeout)
{
    struct epoll_event e[16];
    int n = epoll_wait(ev->ep, e, 16, timeout);
    if (n < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        int fd = (int)(uint32_t)e[i].data.u64;
        uint32_t gen = (uint32_t)(e[i].data.u64 >> 32);
        if ((size_t)fd >= ev->nsrc || ev->src[fd].gen != gen) continue; /* gone since */
        source_t s = ev->src[fd];
        s.fn(s.arg, fd, e[i].events);
    }
    return n;
}
