/* SPDX-License-Identifier: Apache-2.0 */
/* A container's slirp network, planned in one place before anything is
 * built (as bubblewrap lists its setup operations before running them):
 * the tap's name, addresses and MTU as slirp4netns sets them up
 * (10.0.2.100/24 via 10.0.2.2, DNS at 10.0.2.3; fd00::100/64 via fd00::2
 * with IPv6), the fwmark and routing table that deliver published ports
 * locally, the queue and mark of outbound TCP. The executor builds the
 * container's end (pkg/runtime/netdev.c), libslirp serves the far end
 * (slirp.c), inspect shows it. */
#ifndef RL_NETWORK_PLAN_H
#define RL_NETWORK_PLAN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "netmode.h"

/* The fwmark and routing table the container's init sets up for published
 * ports; the queue outbound SYNs wait in, and the mark the relay's verdict
 * gives a SYN to refuse its connect ("rl" and a neighbour). */
#define RL_NET_FWD_MARK             0x726c
#define RL_NET_FWD_TABLE            0x726c
#define RL_NET_OUTBOUND_QUEUE       0x726c
#define RL_NET_OUTBOUND_REFUSE_MARK 0x726e

typedef struct rl_net_plan {
    char tap[16]; /* "tap0" */
    unsigned mtu;
    struct in_addr addr, gw; /* the container's address and its gateway (the host) */
    struct in_addr net, dns, dhcp_start;
    unsigned prefix; /* of addr and net: 24 */
    bool ipv6;
    struct in6_addr addr6, gw6, net6, dns6;
    unsigned prefix6;         /* 64 */
    bool allow_host_loopback; /* gw reaches the host's 127.0.0.1 */
    /* published ports: traffic with this fwmark is delivered locally, and
     * accepted TCP sockets take their SYN's mark (portfwd.h); 0: none */
    unsigned fwd_mark, fwd_table;
    /* outbound TCP past slirp (pkg/runtime/outbound.h): the SYNs' queue
     * (0: slirp carries it) and the mark that refuses one */
    uint16_t out_queue;
    uint32_t out_refuse_mark;
} rl_net_plan_t;

/* The slirp network of mode (its MTU, IPv6, host loopback), with the
 * marks for published ports when there are any; outbound TCP always goes
 * through the monitor's relay where the kernel lets it. */
void rl_net_plan_slirp(const rl_net_mode_t *mode, bool published, rl_net_plan_t *out);

#endif
