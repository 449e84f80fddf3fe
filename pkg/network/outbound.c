/* SPDX-License-Identifier: Apache-2.0 */
/* Outbound TCP past slirp, the monitor's end (the container's end, and
 * why: pkg/runtime/outbound.h). A container's SYN waits in the queue
 * while we connect to its destination from the host; our verdict lets it
 * on to the listener (redirected there by NAT) or has it refused with a
 * reset, as slirp would answer. The connection the listener then accepts
 * is spliced to ours (portfwd_tcp.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "pkg/util/dl.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "portfwd_int.h"
#include "plan.h"

// clang-format off
#define NFQ_SYMS(X)                                                                                \
    X(nfq_nlmsg_put) X(nfq_nlmsg_parse) X(nfq_nlmsg_verdict_put) X(nfq_nlmsg_verdict_put_mark)
// clang-format on
RL_DL_TABLE(nfq, NFQ_SYMS, "libnetfilter_queue.so.1", "libnetfilter-queue1")

#define PENDING_MAX 512 /* SYNs held at once; more are refused */
#define PENDING_TTL 30  /* s: connected, but its SYN never reached the listener */

static void verdict(rl_net_portfwd_t *f, uint32_t id, int v, uint32_t mark)
{
    char buf[128];
    struct nlmsghdr *h = nfq.nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT, RL_NET_OUTBOUND_QUEUE);
    nfq.nfq_nlmsg_verdict_put(h, (int)id, v);
    if (mark) nfq.nfq_nlmsg_verdict_put_mark(h, mark);
    if (send(f->queue, h, h->nlmsg_len, MSG_DONTWAIT) < 0)
        rl_debug("outbound SYN verdict: %s", strerror(errno));
}

/* on to the listener; dropped (a retransmission); answered with a reset */
static void pass(rl_net_portfwd_t *f, uint32_t id)
{
    verdict(f, id, NF_ACCEPT, 0);
}

static void drop(rl_net_portfwd_t *f, uint32_t id)
{
    verdict(f, id, NF_DROP, 0);
}

static void refuse(rl_net_portfwd_t *f, uint32_t id)
{
    verdict(f, id, NF_ACCEPT, RL_NET_OUTBOUND_REFUSE_MARK);
}

static bool same(const rl_net_tcp4_t *a, const rl_net_tcp4_t *b)
{
    return a->src.s_addr == b->src.s_addr && a->dst.s_addr == b->dst.s_addr &&
           a->sport == b->sport && a->dport == b->dport;
}

static pending_t *find(rl_net_portfwd_t *f, const rl_net_tcp4_t *t)
{
    for (pending_t *p = f->pending; p; p = p->next)
        if (same(&p->tcp, t)) return p;
    return NULL;
}

static void forget(rl_net_portfwd_t *f, pending_t *p)
{
    for (pending_t **pp = &f->pending; *pp; pp = &(*pp)->next)
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    rl_net_fwd_forget(f, &p->fd);
    free(p);
    f->npending--;
}

static void sweep(rl_net_portfwd_t *f, time_t now)
{
    for (pending_t *p = f->pending, *next; p; p = next) {
        next = p->next;
        if (p->connected && now - p->since > PENDING_TTL) forget(f, p);
    }
}

static int dial(const rl_net_tcp4_t *t)
{
    struct sockaddr_in dst = {
        .sin_family = AF_INET, .sin_port = htons(t->dport), .sin_addr = t->dst};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

static void on_syn(rl_net_portfwd_t *f, uint32_t id, const uint8_t *pkt, size_t len)
{
    time_t now = time(NULL);
    sweep(f, now);
    rl_net_tcp4_t t;
    if (rl_net_syn_parse(pkt, len, &t) < 0) {
        drop(f, id); /* not what the rule sends */
        return;
    }
    pending_t *p = find(f, &t);
    if (p) { /* a retransmission */
        p->connected ? pass(f, id) : drop(f, id);
        return;
    }
    int fd = f->npending < PENDING_MAX && rl_net_outbound_dst_ok(t.dst) ? dial(&t) : -1;
    if (fd < 0) {
        refuse(f, id);
        return;
    }
    p = xcalloc(1, sizeof *p);
    *p = (pending_t){.next = f->pending, .tcp = t, .packet_id = id, .fd = fd, .since = now};
    f->pending = p, f->npending++;
    if (rl_net_fwd_watch(f, fd, EPOLLOUT, SLOT_PENDING, p) < 0) {
        forget(f, p);
        refuse(f, id);
    }
}

void rl_net_fwd_out_queue(rl_net_portfwd_t *f)
{
    for (;;) {
        char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
        ssize_t n = recv(f->queue, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == ENOBUFS) continue; /* lost some: their SYNs are retransmitted */
        if (n <= 0) return;
        size_t left = (size_t)n;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
             h = NLMSG_NEXT(h, left)) {
            struct nlattr *a[NFQA_MAX + 1] = {0};
            if (h->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET) ||
                nfq.nfq_nlmsg_parse(h, a) < 0 || !a[NFQA_PACKET_HDR] || !a[NFQA_PAYLOAD] ||
                a[NFQA_PACKET_HDR]->nla_len < NLA_HDRLEN + sizeof(struct nfqnl_msg_packet_hdr))
                continue;
            const struct nfqnl_msg_packet_hdr *ph =
                (const void *)((char *)a[NFQA_PACKET_HDR] + NLA_HDRLEN);
            on_syn(f, ntohl(ph->packet_id), (const uint8_t *)a[NFQA_PAYLOAD] + NLA_HDRLEN,
                   a[NFQA_PAYLOAD]->nla_len - NLA_HDRLEN);
        }
    }
}

/* Our connect has its answer: the SYN goes on, or is refused. */
void rl_net_fwd_out_pending(rl_net_portfwd_t *f, pending_t *p)
{
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0) e = errno;
    if (e) {
        refuse(f, p->packet_id);
        forget(f, p);
        return;
    }
    /* unwatched until its pair is accepted (a hang-up would spin) */
    rl_net_fwd_unwatch(f, p->fd);
    p->connected = true;
    p->since = time(NULL);
    pass(f, p->packet_id);
}

/* The connection the container made, and ours to the same place. */
static int pair(rl_net_portfwd_t *f, int a, bool *connecting)
{
    struct sockaddr_in peer, dst;
    socklen_t plen = sizeof peer, dlen = sizeof dst;
    if (getpeername(a, (struct sockaddr *)&peer, &plen) < 0 || peer.sin_family != AF_INET ||
        getsockopt(a, SOL_IP, SO_ORIGINAL_DST, &dst, &dlen) < 0)
        return -1;
    rl_net_tcp4_t t = {.src = peer.sin_addr,
                       .dst = dst.sin_addr,
                       .sport = ntohs(peer.sin_port),
                       .dport = ntohs(dst.sin_port)};
    pending_t *p = find(f, &t);
    if (p && p->connected) {
        int b = p->fd;
        p->fd = -1;
        forget(f, p);
        *connecting = false;
        return b;
    }
    /* a SYN not held by us (its entry expired, or the queue had no reader:
     * it is bound from the start, so only in odd cases): no gate */
    *connecting = true;
    return rl_net_outbound_dst_ok(t.dst) ? dial(&t) : -1;
}

void rl_net_fwd_out_accept(rl_net_portfwd_t *f, listener_t *l)
{
    for (;;) {
        int a = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (a < 0 && (errno == EMFILE || errno == ENFILE)) rl_net_fwd_pause(f, l);
        if (a < 0) return;
        bool connecting = false;
        int b = pair(f, a, &connecting);
        if (b < 0) {
            close(a);
            continue;
        }
        if (rl_net_fwd_tcp_join(f, a, b, connecting) < 0) rl_net_fwd_pause(f, l); /* out of fds */
    }
}

int rl_net_fwd_out_watch(rl_net_portfwd_t *f, rl_error_t *err)
{
    if (f->queue < 0) return 0;
    if (nfq_load(err) < 0) return -1;
    if (rl_net_fwd_watch(f, f->queue, EPOLLIN, SLOT_QUEUE, NULL) < 0)
        return rl_error_set(err, errno, "watch the outbound SYN queue");
    return 0;
}

void rl_net_fwd_out_close(rl_net_portfwd_t *f)
{
    while (f->pending)
        forget(f, f->pending);
    rl_net_fwd_forget(f, &f->queue);
}
