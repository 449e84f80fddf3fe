/* SPDX-License-Identifier: Apache-2.0 */
/* The headers of a container's outbound TCP SYN, as the nfqueue hands
 * them to the monitor (pkg/network/outbound.c). The packet is the
 * container's: untrusted, so every length is checked. */
#ifndef RL_NETWORK_SYNPKT_H
#define RL_NETWORK_SYNPKT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A TCP connection over IPv4: addresses in network order, ports in host
 * order. */
typedef struct rl_net_tcp4 {
    struct in_addr src, dst;
    uint16_t sport, dport;
} rl_net_tcp4_t;

/* 0 with the connection of an IPv4 TCP packet (the first fragment, its
 * ports within len); -1 for anything else. */
int rl_net_syn_parse(const uint8_t *pkt, size_t len, rl_net_tcp4_t *out);

/* Whether the monitor may connect to dst for the container: never to the
 * host's loopback (10.0.2.2 stands for it, with allow_host_loopback,
 * through slirp), "this network", multicast or broadcast, nor slirp's own
 * 10.0.2.0/24. The rules divert none of those; a container able to craft
 * its own packets might try. */
bool rl_net_outbound_dst_ok(struct in_addr dst);

#endif
