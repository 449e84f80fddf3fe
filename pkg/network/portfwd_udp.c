/* SPDX-License-Identifier: Apache-2.0 */
/* UDP: one socket in the container's netns per client address and port
 * (a flow), connected to the container port, so replies find their way
 * back; a flow silent for a minute goes, and the oldest goes first when
 * there are too many. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "pkg/util/xalloc.h"
#include "portfwd_int.h"

#define FLOW_IDLE_S 60
#define MAX_FLOWS   256

static void flow_close(rl_net_portfwd_t *f, flow_t *fl)
{
    for (flow_t **p = &f->flows; *p; p = &(*p)->next)
        if (*p == fl) {
            *p = fl->next;
            break;
        }
    rl_net_fwd_forget(f, &fl->fd);
    free(fl);
    f->nflows--;
}

static void expire(rl_net_portfwd_t *f, time_t now)
{
    flow_t *oldest = NULL;
    for (flow_t *fl = f->flows, *next; fl; fl = next) {
        next = fl->next;
        if (now - fl->last > FLOW_IDLE_S)
            flow_close(f, fl);
        else if (!oldest || fl->last < oldest->last)
            oldest = fl;
    }
    if (f->nflows >= MAX_FLOWS && oldest) flow_close(f, oldest);
}

static flow_t *find(rl_net_portfwd_t *f, listener_t *l, const struct sockaddr_storage *peer,
                    socklen_t len)
{
    for (flow_t *fl = f->flows; fl; fl = fl->next)
        if (fl->l == l && fl->plen == len && !memcmp(&fl->peer, peer, len)) return fl;
    return NULL;
}

static flow_t *open_flow(rl_net_portfwd_t *f, listener_t *l, const struct sockaddr_storage *peer,
                         socklen_t len, time_t now)
{
    expire(f, now);
    int fd = rl_net_nshelper_socket(&f->helper, AF_INET, SOCK_DGRAM, false);
    struct sockaddr_in dst = {.sin_family = AF_INET,
                              .sin_port = htons(l->port.ctr_port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0) return NULL;
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) return close(fd), NULL;
    flow_t *fl = xcalloc(1, sizeof *fl);
    *fl = (flow_t){.next = f->flows, .l = l, .plen = len, .fd = fd, .last = now};
    memcpy(&fl->peer, peer, len);
    if (rl_net_fwd_watch(f, fd, EPOLLIN, SLOT_FLOW, fl) < 0) {
        close(fd);
        free(fl);
        return NULL;
    }
    f->flows = fl;
    f->nflows++;
    return fl;
}

static char buf[65536];

void rl_net_fwd_udp_from_client(rl_net_portfwd_t *f, listener_t *l)
{
    time_t now = time(NULL);
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        ssize_t n = recvfrom(l->fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;
        flow_t *fl = find(f, l, &peer, len);
        if (!fl && !(fl = open_flow(f, l, &peer, len, now))) continue; /* dropped, as UDP may */
        fl->last = now;
        if (send(fl->fd, buf, (size_t)n, MSG_DONTWAIT) < 0 && errno != EAGAIN) {
            /* e.g. ECONNREFUSED from an earlier datagram: nothing listens yet */
        }
    }
}

void rl_net_fwd_udp_from_container(rl_net_portfwd_t *f, flow_t *fl)
{
    for (;;) {
        ssize_t n = recv(fl->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n < 0) continue; /* an ICMP error queued on the socket: read past it */
        fl->last = time(NULL);
        sendto(fl->l->fd, buf, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&fl->peer, fl->plen);
    }
    (void)f;
}

void rl_net_fwd_udp_close_all(rl_net_portfwd_t *f)
{
    while (f->flows)
        flow_close(f, f->flows);
}
