/* SPDX-License-Identifier: Apache-2.0 */
#include "slirp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <slirp/libslirp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dnsproxy.h"
#include "pkg/util/dl.h"
#include "pkg/util/xalloc.h"

/* libslirp (and glib under it) only in the monitors of slirp containers */
// clang-format off
#define SLIRP_SYMS(X)                                                                              \
    X(slirp_new) X(slirp_cleanup) X(slirp_pollfds_fill) X(slirp_pollfds_poll) X(slirp_input)
// clang-format on
RL_DL_TABLE(libslirp, SLIRP_SYMS, "libslirp.so.0", "libslirp0")
#define slirp_new          libslirp.slirp_new
#define slirp_cleanup      libslirp.slirp_cleanup
#define slirp_pollfds_fill libslirp.slirp_pollfds_fill
#define slirp_pollfds_poll libslirp.slirp_pollfds_poll
#define slirp_input        libslirp.slirp_input

typedef struct timer {
    struct timer *next;
    SlirpTimerCb cb;
    void *cb_opaque;
    int64_t expire_ms; /* -1: not armed */
} timer_t_;

struct rl_net_slirp {
    Slirp *slirp;
    int tap;
    rl_net_dnsproxy_t *dns; /* 10.0.2.3's A/AAAA answers (dnsproxy.h) */
    size_t ndns;            /* its fds, after the tap's in the poll array */
    timer_t_ *timers;
    /* during fill/poll: where slirp's fds go in the caller's array */
    struct pollfd *fds;
    size_t n, max;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    rl_net_slirp_t *s = opaque;
    /* a full tap queue drops the frame: TCP retransmits, as slirp expects */
    ssize_t n = write(s->tap, buf, len);
    return n < 0 && errno == EAGAIN ? (ssize_t)len : n;
}

static void guest_error(const char *msg, void *opaque)
{
    (void)msg, (void)opaque; /* the container's own doing; nothing to tell */
}

static int64_t clock_get_ns(void *opaque)
{
    (void)opaque;
    return now_ns();
}

static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
    rl_net_slirp_t *s = opaque;
    timer_t_ *t = xcalloc(1, sizeof *t);
    *t = (timer_t_){.next = s->timers, .cb = cb, .cb_opaque = cb_opaque, .expire_ms = -1};
    s->timers = t;
    return t;
}

static void timer_free(void *timer, void *opaque)
{
    rl_net_slirp_t *s = opaque;
    for (timer_t_ **p = &s->timers; *p; p = &(*p)->next)
        if (*p == timer) {
            *p = ((timer_t_ *)timer)->next;
            free(timer);
            return;
        }
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    ((timer_t_ *)timer)->expire_ms = expire_ms;
}

static void no_fd(int fd, void *opaque)
{
    (void)fd, (void)opaque; /* fds are gathered at every fill */
}

static void notify(void *opaque)
{
    (void)opaque; /* single-threaded: the next fill sees it */
}

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_new = timer_new,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = no_fd,
    .unregister_poll_fd = no_fd,
    .notify = notify,
};

rl_net_slirp_t *rl_net_slirp_new(const rl_net_slirp_opts_t *o, rl_error_t *err)
{
    if (libslirp_load(err) < 0) return NULL;
    rl_net_slirp_t *s = xcalloc(1, sizeof *s);
    s->tap = o->tap_fd;
    const rl_net_plan_t *p = o->plan;
    SlirpConfig cfg = {.version = 1,
                       .in_enabled = true,
                       .vnetwork = p->net,
                       .vnetmask.s_addr = p->prefix ? htonl(~0u << (32 - p->prefix)) : 0,
                       .vhost = p->gw,
                       .vdhcp_start = p->dhcp_start,
                       .vnameserver = p->dns,
                       .in6_enabled = p->ipv6,
                       .vprefix_addr6 = p->net6,
                       .vprefix_len = (uint8_t)p->prefix6,
                       .vhost6 = p->gw6,
                       .vnameserver6 = p->dns6,
                       .if_mtu = p->mtu,
                       .if_mru = p->mtu,
                       .disable_host_loopback = !p->allow_host_loopback};
    s->dns = rl_net_dnsproxy_new(s->tap);
    s->slirp = slirp_new(&cfg, &callbacks, s);
    if (!s->slirp) {
        rl_error_set(err, 0, "libslirp refused the network settings");
        rl_net_dnsproxy_free(s->dns);
        close(s->tap), free(s);
        return NULL;
    }
    return s;
}

void rl_net_slirp_free(rl_net_slirp_t *s)
{
    if (!s) return;
    slirp_cleanup(s->slirp);
    rl_net_dnsproxy_free(s->dns);
    while (s->timers) {
        timer_t_ *t = s->timers;
        s->timers = t->next;
        free(t);
    }
    close(s->tap);
    free(s);
}

static short to_poll(int ev)
{
    return (short)(((ev & SLIRP_POLL_IN) ? POLLIN : 0) | ((ev & SLIRP_POLL_OUT) ? POLLOUT : 0) |
                   ((ev & SLIRP_POLL_PRI) ? POLLPRI : 0));
}

static int add_poll(int fd, int events, void *opaque)
{
    rl_net_slirp_t *s = opaque;
    if (s->n == s->max) return -1; /* slirp checks -1 as "not polled" */
    s->fds[s->n] = (struct pollfd){.fd = fd, .events = to_poll(events)};
    return (int)s->n++;
}

static int get_revents(int idx, void *opaque)
{
    rl_net_slirp_t *s = opaque;
    if (idx < 0 || (size_t)idx >= s->n) return 0;
    short r = s->fds[idx].revents;
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

size_t rl_net_slirp_fill(rl_net_slirp_t *s, struct pollfd *fds, size_t max, int *timeout_ms)
{
    if (max == 0) return 0;
    fds[0] = (struct pollfd){.fd = s->tap, .events = POLLIN};
    s->ndns = rl_net_dnsproxy_fill(s->dns, fds + 1, max - 1);
    s->fds = fds, s->n = 1 + s->ndns, s->max = max;
    uint32_t t = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
    slirp_pollfds_fill(s->slirp, &t, add_poll, s);
    int64_t now = now_ns() / 1000000;
    for (timer_t_ *tm = s->timers; tm; tm = tm->next) {
        if (tm->expire_ms < 0) continue;
        int64_t left = tm->expire_ms > now ? tm->expire_ms - now : 0;
        if ((uint64_t)left < t) t = (uint32_t)left;
    }
    *timeout_ms = t == UINT32_MAX ? -1 : (int)t;
    return s->n;
}

static void read_tap(rl_net_slirp_t *s)
{
    static uint8_t frame[65536 + 64];
    for (int i = 0; i < 64; i++) { /* a batch, then let the others run */
        ssize_t n = read(s->tap, frame, sizeof frame);
        if (n <= 0) return;
        if (!rl_net_dnsproxy_take(s->dns, frame, (size_t)n)) slirp_input(s->slirp, frame, (int)n);
    }
}

static void run_timers(rl_net_slirp_t *s)
{
    int64_t now = now_ns() / 1000000;
    for (timer_t_ *t = s->timers; t; t = t->next)
        if (t->expire_ms >= 0 && t->expire_ms <= now) {
            t->expire_ms = -1;
            t->cb(t->cb_opaque); /* may free or re-arm timers: start over */
            run_timers(s);
            return;
        }
}

void rl_net_slirp_poll(rl_net_slirp_t *s, struct pollfd *fds, size_t n, bool poll_failed)
{
    s->fds = fds, s->n = n;
    if (n > s->ndns) rl_net_dnsproxy_poll(s->dns, fds + 1, s->ndns);
    if (n > 0 && (fds[0].revents & POLLIN)) read_tap(s);
    slirp_pollfds_poll(s->slirp, poll_failed, get_revents, s);
    run_timers(s);
}
