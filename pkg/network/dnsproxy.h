/* SPDX-License-Identifier: Apache-2.0 */
/* The container's DNS server 10.0.2.3, answered by the monitor through the
 * host's own resolver (getaddrinfo: /etc/hosts, nsswitch, the host's
 * nameservers, loopback ones included), so the container resolves names
 * exactly as programs on the host do. slirp alone would only forward raw
 * DNS to the nameservers in the host's resolv.conf.
 *
 * A/AAAA queries to 10.0.2.3:53 are taken off the tap before slirp sees
 * them; each is resolved in a short-lived forked child (getaddrinfo
 * blocks), whose pipe the monitor polls with slirp's fds; the answer goes
 * back on the tap as a UDP frame from 10.0.2.3. Other queries (MX, SRV,
 * PTR, ...) and IPv6 transport (fd00::3) go to slirp's forwarder. */
#ifndef RL_NETWORK_DNSPROXY_H
#define RL_NETWORK_DNSPROXY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rl_net_dnsproxy rl_net_dnsproxy_t;

rl_net_dnsproxy_t *rl_net_dnsproxy_new(int tap);
/* Kills what is still resolving. */
void rl_net_dnsproxy_free(rl_net_dnsproxy_t *d);
/* A frame from the container: true when it was a query we took. */
bool rl_net_dnsproxy_take(rl_net_dnsproxy_t *d, const uint8_t *frame, size_t len);
/* Our pending answers' fds, to poll; how many were filled. */
size_t rl_net_dnsproxy_fill(rl_net_dnsproxy_t *d, struct pollfd *fds, size_t max);
/* After poll(): send the answers that are ready. */
void rl_net_dnsproxy_poll(rl_net_dnsproxy_t *d, const struct pollfd *fds, size_t n);

/* The frame's DNS query (IPv4/UDP to 10.0.2.3:53): its payload, or NULL. */
const uint8_t *rl_net_dns_frame_query(const uint8_t *frame, size_t len, size_t *qlen);

#endif
