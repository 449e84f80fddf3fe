/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the port forwarder (portfwd.h): the pieces portfwd.c,
 * portfwd_tcp.c and portfwd_udp.c share. */
#ifndef RL_NETWORK_PORTFWD_INT_H
#define RL_NETWORK_PORTFWD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "nshelper.h"
#include "portfwd.h"
#include "synpkt.h"

typedef struct listener {
    int fd;
    rl_net_port_t port; /* zero for the outbound listener */
    bool outbound;      /* in the container's netns: outbound TCP (outbound.c) */
    bool paused;        /* out of fds: not watched until a connection closes */
} listener_t;

typedef struct half {
    int from, to, pipe[2];
    size_t queued, cap; /* bytes in the pipe, its size */
    bool eof, done;     /* read all; and shut the other side's writing */
} half_t;

typedef struct conn {
    struct conn *next;
    int a, b;    /* the host's client, the socket in the container's netns */
    half_t h[2]; /* a→b, b→a */
    bool connecting;
    uint32_t ev_a, ev_b; /* what epoll watches */
} conn_t;

typedef struct flow {
    struct flow *next;
    listener_t *l;
    struct sockaddr_storage peer;
    socklen_t plen;
    int fd; /* connected to the container port, in its netns */
    time_t last;
} flow_t;

/* A container's outbound SYN, held in the queue while we connect to its
 * destination from the host. */
typedef struct pending {
    struct pending *next;
    rl_net_tcp4_t tcp;
    uint32_t packet_id; /* the SYN in the queue */
    int fd;             /* ours, to the destination */
    bool connected;     /* its SYN went on to the listener */
    time_t since;
} pending_t;

typedef enum {
    SLOT_NONE,
    SLOT_LISTENER,
    SLOT_CONN,
    SLOT_FLOW,
    SLOT_QUEUE,   /* the outbound SYN queue */
    SLOT_PENDING, /* our connect for a held SYN */
} slot_kind_t;

typedef struct slot {
    slot_kind_t kind;
    void *p;
} slot_t;

struct rl_net_portfwd {
    listener_t *l;
    size_t nl;
    bool watching;
    struct rl_ev *ev; /* the loop our fds are watched in (attach) */
    rl_net_nshelper_t helper;
    slot_t *slots; /* by fd */
    size_t nslots;
    conn_t *conns;
    flow_t *flows;
    size_t nflows;
    size_t npaused; /* listeners paused (rl_net_fwd_pause) */
    size_t nports;  /* published: the first nports of l */
    int queue;      /* outbound SYN queue, or -1 */
    pending_t *pending;
    size_t npending;
};

/* epoll and the fd table */
int rl_net_fwd_watch(rl_net_portfwd_t *f, int fd, uint32_t events, slot_kind_t kind, void *p);
void rl_net_fwd_modify(rl_net_portfwd_t *f, int fd, uint32_t events);
/* Stop watching fd (it stays open). */
void rl_net_fwd_unwatch(rl_net_portfwd_t *f, int fd);
/* Stop watching fd and close it. */
void rl_net_fwd_forget(rl_net_portfwd_t *f, int *fd);

/* Out of fds: stop watching l (level-triggered, it would spin); resume
 * every paused listener once fds are freed. */
void rl_net_fwd_pause(rl_net_portfwd_t *f, listener_t *l);
void rl_net_fwd_resume(rl_net_portfwd_t *f);

void rl_net_fwd_tcp_accept(rl_net_portfwd_t *f, listener_t *l);
/* Splice a and b into each other (b may still be connecting); on failure
 * both are closed, and -1 means out of fds. */
int rl_net_fwd_tcp_join(rl_net_portfwd_t *f, int a, int b, bool connecting);
void rl_net_fwd_tcp_event(rl_net_portfwd_t *f, conn_t *c, int fd, uint32_t events);
void rl_net_fwd_tcp_close_all(rl_net_portfwd_t *f);

void rl_net_fwd_udp_from_client(rl_net_portfwd_t *f, listener_t *l);
void rl_net_fwd_udp_from_container(rl_net_portfwd_t *f, flow_t *fl);
void rl_net_fwd_udp_close_all(rl_net_portfwd_t *f);

int rl_net_fwd_out_watch(rl_net_portfwd_t *f, rl_error_t *err);
void rl_net_fwd_out_queue(rl_net_portfwd_t *f);
void rl_net_fwd_out_pending(rl_net_portfwd_t *f, pending_t *p);
void rl_net_fwd_out_accept(rl_net_portfwd_t *f, listener_t *l);
void rl_net_fwd_out_close(rl_net_portfwd_t *f);

#endif
