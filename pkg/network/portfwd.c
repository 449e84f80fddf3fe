/* SPDX-License-Identifier: Apache-2.0 */
/* The port forwarder's listeners, its fd table and its event dispatch
 * (see portfwd.h); the relays are in portfwd_tcp.c and portfwd_udp.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/evloop.h"
#include "portfwd_int.h"

static const char *proto(const rl_net_port_t *p)
{
    return p->udp ? "udp" : "tcp";
}

static int bind_error(const rl_net_port_t *p, int e, rl_error_t *err)
{
    const char *ip = p->host_ip[0] ? p->host_ip : "0.0.0.0";
    if (e == EADDRINUSE)
        return rl_error_set(err, 0,
                            "host port %u/%s on %s is already in use: stop what listens there "
                            "or publish on another port (-p)",
                            (unsigned)p->host_port, proto(p), ip);
    if (e == EACCES)
        return rl_error_set(err, 0,
                            "host port %u/%s: this host keeps ports below its "
                            "net.ipv4.ip_unprivileged_port_start for root; publish on a higher "
                            "port",
                            (unsigned)p->host_port, proto(p));
    if (e == EADDRNOTAVAIL)
        return rl_error_set(err, 0, "-p: %s is not an address of this host", ip);
    return rl_error_set(err, e, "bind host port %u/%s on %s", (unsigned)p->host_port, proto(p), ip);
}

/* One socket on the port's address; "" is every address, IPv6 and IPv4
 * together where the host has IPv6. */
static int open_listener(const rl_net_port_t *p, int *out_errno)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    int type = (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK;
    bool any = !p->host_ip[0];
    int family = any || strchr(p->host_ip, ':') ? AF_INET6 : AF_INET;
    for (;;) {
        memset(&ss, 0, sizeof ss);
        if (family == AF_INET6) {
            in6->sin6_family = AF_INET6, in6->sin6_port = htons(p->host_port);
            if (!any) inet_pton(AF_INET6, p->host_ip, &in6->sin6_addr);
        } else {
            in4->sin_family = AF_INET, in4->sin_port = htons(p->host_port);
            if (!any) inet_pton(AF_INET, p->host_ip, &in4->sin_addr);
        }
        int fd = socket(family, type, 0), one = 1, zero = 0;
        if (fd >= 0 && !p->udp) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (fd >= 0 && family == AF_INET6 && any)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (fd >= 0 &&
            bind(fd, (struct sockaddr *)&ss, family == AF_INET6 ? sizeof *in6 : sizeof *in4) == 0 &&
            (p->udp || listen(fd, 128) == 0))
            return fd;
        *out_errno = errno;
        if (fd >= 0) close(fd);
        /* a host without IPv6: every IPv4 address then */
        bool no_v6 = *out_errno == EAFNOSUPPORT || *out_errno == EADDRNOTAVAIL;
        if (!(any && family == AF_INET6 && no_v6)) return -1;
        family = AF_INET;
    }
}

static uint16_t bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return 0;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

rl_net_portfwd_t *rl_net_portfwd_bind(rl_net_ports_t *ps, rl_error_t *err)
{
    rl_net_portfwd_t *f = xcalloc(1, sizeof *f);
    f->helper.pid = f->helper.fd = f->queue = -1;
    f->l = xcalloc(ps->n ? ps->n : 1, sizeof *f->l);
    for (size_t i = 0; i < ps->n; i++) {
        int e = 0, fd = open_listener(&ps->v[i], &e);
        if (fd < 0) {
            bind_error(&ps->v[i], e, err);
            rl_net_portfwd_free(f);
            return NULL;
        }
        if (ps->v[i].host_port == 0) ps->v[i].host_port = bound_port(fd);
        f->l[f->nl++] = (listener_t){.fd = fd, .port = ps->v[i]};
    }
    f->nports = f->nl;
    return f;
}

void rl_net_portfwd_outbound(rl_net_portfwd_t *f, int listen_fd, int queue_fd)
{
    if (listen_fd < 0 || queue_fd < 0 || f->nl > f->nports) {
        if (listen_fd >= 0) close(listen_fd);
        if (queue_fd >= 0) close(queue_fd);
        return;
    }
    f->l = xrealloc(f->l, (f->nports + 1) * sizeof *f->l);
    f->l[f->nl++] = (listener_t){.fd = listen_fd, .outbound = true};
    f->queue = queue_fd;
}

/* An event on one of our fds: what the fd is says what to do. */
static void on_event(void *arg, int fd, uint32_t events)
{
    rl_net_portfwd_t *f = arg;
    if (fd < 0 || (size_t)fd >= f->nslots) return;
    slot_t s = f->slots[fd];
    switch (s.kind) {
    case SLOT_LISTENER: {
        listener_t *l = s.p;
        if (l->outbound)
            rl_net_fwd_out_accept(f, l);
        else if (l->port.udp)
            rl_net_fwd_udp_from_client(f, l);
        else
            rl_net_fwd_tcp_accept(f, l);
        break;
    }
    case SLOT_CONN:
        rl_net_fwd_tcp_event(f, s.p, fd, events);
        break;
    case SLOT_FLOW:
        rl_net_fwd_udp_from_container(f, s.p);
        break;
    case SLOT_QUEUE:
        rl_net_fwd_out_queue(f);
        break;
    case SLOT_PENDING:
        rl_net_fwd_out_pending(f, s.p);
        break;
    case SLOT_NONE:
        break;
    }
}

int rl_net_fwd_watch(rl_net_portfwd_t *f, int fd, uint32_t events, slot_kind_t kind, void *p)
{
    if ((size_t)fd >= f->nslots) {
        size_t n = (size_t)fd * 2 + 16;
        f->slots = xrealloc(f->slots, n * sizeof *f->slots);
        memset(f->slots + f->nslots, 0, (n - f->nslots) * sizeof *f->slots);
        f->nslots = n;
    }
    if (rl_ev_add(f->ev, fd, events, on_event, f) < 0) return -1;
    f->slots[fd] = (slot_t){kind, p};
    return 0;
}

void rl_net_fwd_modify(rl_net_portfwd_t *f, int fd, uint32_t events)
{
    rl_ev_mod(f->ev, fd, events);
}

void rl_net_fwd_unwatch(rl_net_portfwd_t *f, int fd)
{
    rl_ev_del(f->ev, fd);
    if ((size_t)fd < f->nslots) f->slots[fd] = (slot_t){SLOT_NONE, NULL};
}

void rl_net_fwd_forget(rl_net_portfwd_t *f, int *fd)
{
    if (*fd < 0) return;
    rl_net_fwd_unwatch(f, *fd);
    close(*fd);
    *fd = -1;
}

void rl_net_fwd_pause(rl_net_portfwd_t *f, listener_t *l)
{
    if (l->paused) return;
    l->paused = true;
    f->npaused++;
    rl_net_fwd_modify(f, l->fd, 0);
}

void rl_net_fwd_resume(rl_net_portfwd_t *f)
{
    for (size_t i = 0; i < f->nl && f->npaused; i++)
        if (f->l[i].paused) {
            f->npaused--;
            f->l[i].paused = false;
            rl_net_fwd_modify(f, f->l[i].fd, EPOLLIN);
        }
}

/* Each connection holds six fds (two sockets, two pipes): the soft limit
 * (often 1024) would stop a busy port at ~170. The container's own limit
 * comes from its spec, not from us. */
static void raise_nofile(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

int rl_net_portfwd_attach(rl_net_portfwd_t *f, pid_t pid, struct rl_ev *ev, rl_error_t *err)
{
    f->ev = ev;
    raise_nofile();
    if (f->nl == 0) return 0;
    if (f->nports && rl_net_nshelper_start(&f->helper, pid, err) < 0) {
        /* gone already (its namespaces with it): its exit comes next */
        if (err->code != ENOENT) return -1;
        rl_error_clear(err);
    }
    for (size_t i = 0; i < f->nl; i++)
        if (rl_net_fwd_watch(f, f->l[i].fd, EPOLLIN, SLOT_LISTENER, &f->l[i]) < 0)
            return rl_error_set(err, errno, "watch the published ports");
    f->watching = true;
    if (rl_net_fwd_out_watch(f, err) < 0) return -1;
    return 0;
}

void rl_net_portfwd_detach(rl_net_portfwd_t *f)
{
    if (!f) return;
    rl_net_fwd_tcp_close_all(f);
    rl_net_fwd_udp_close_all(f);
    for (size_t i = 0; i < f->nl && f->watching; i++) {
        f->l[i].paused = false;
        f->npaused = 0;
        rl_net_fwd_unwatch(f, f->l[i].fd);
    }
    f->watching = false;
    rl_net_nshelper_stop(&f->helper);
    /* the outbound listener and queue were that netns's */
    rl_net_fwd_out_close(f);
    for (; f->nl > f->nports; f->nl--)
        if (f->l[f->nl - 1].fd >= 0) close(f->l[f->nl - 1].fd);
}

void rl_net_portfwd_unbind(rl_net_portfwd_t *f)
{
    if (!f) return;
    rl_net_portfwd_detach(f);
    for (size_t i = 0; i < f->nl; i++)
        if (f->l[i].fd >= 0) close(f->l[i].fd), f->l[i].fd = -1;
}

void rl_net_portfwd_free(rl_net_portfwd_t *f)
{
    if (!f) return;
    rl_net_portfwd_unbind(f);
    free(f->l);
    free(f->slots);
    free(f);
}
