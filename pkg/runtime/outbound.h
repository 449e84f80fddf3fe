/* SPDX-License-Identifier: Apache-2.0 */
/* The container's end of the outbound TCP fast path (slirp networking).
 *
 * libslirp carries a container's outbound TCP through its own per-packet
 * TCP stack: about 2 Gbit/s here. Instead, the container's init installs
 * nftables rules in the container's netns that send each new outbound TCP
 * connection (through the tap, to any address outside slirp's 10.0.2.0/24)
 * to a listener of ours on the netns's loopback; the monitor accepts it,
 * connects to the real destination from the host, and splices the two
 * (pkg/network/outbound.c), as for published ports.
 *
 * The container's SYN waits in an nfqueue until the monitor's own connect
 * has an answer, so the container sees what slirp shows: a refused or
 * unreachable destination refuses its connect (the monitor's verdict
 * marks the SYN, and a rule answers it with a reset), and only a
 * connection the destination took is accepted.
 *
 * Where the kernel lacks a part (nf_tables, its NAT, the xt NFQUEUE
 * target through nft_compat), nothing is installed and slirp carries it
 * all, as before. UDP and IPv6 always go through slirp. */
#ifndef RL_RUNTIME_OUTBOUND_H
#define RL_RUNTIME_OUTBOUND_H

#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_outbound_cfg {
    const char *tap;       /* the interface whose TCP is diverted */
    uint16_t queue;        /* the nfqueue number the SYNs wait in */
    uint32_t net, netmask; /* the tap's subnet (network order): left to slirp */
    uint32_t refuse_mark;  /* a SYN with this mark is answered with a reset */
} rl_outbound_cfg_t;

/* Parent, before the clone: load libnftnl and libnetfilter_queue. */
int rl_outbound_load(rl_error_t *err);
/* In the container's netns, as root of its user namespace, with the tap
 * up: a listener on 127.0.0.1, the rules diverting to it, and the queue
 * socket, bound. On error nothing is left installed. */
int rl_outbound_setup(const rl_outbound_cfg_t *c, int *listen_fd, int *queue_fd, rl_error_t *err);

#endif
