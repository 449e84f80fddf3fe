/* SPDX-License-Identifier: Apache-2.0 */
/* Published ports, forwarded by the monitor (no port helper process, not
 * through slirp's packet-level TCP).
 *
 * The host ports are bound by the rl that starts the container, before the
 * container exists, so that a busy port fails the start up front; the
 * monitor inherits them. Once the container runs, each accepted TCP
 * connection gets a socket made in the container's netns (nshelper.h),
 * connected to the container port there, and the two are spliced into
 * each other in the kernel (no copy through the monitor). UDP goes through
 * one connected socket per client address and port (a flow), dropped after
 * a minute of silence.
 *
 * What the container sees as the source: for TCP from an IPv4 client, the
 * client's own address and port. The socket in the netns is transparent
 * (IP_TRANSPARENT, bound to the client's address) and marked; the
 * container's init set up a routing rule that delivers marked traffic
 * locally, and tcp_fwmark_accept marks the server's accepted socket, so
 * its replies come back to us rather than out through slirp. A client on
 * the host's loopback shows as 10.0.2.2 (the host, as slirp names it).
 * For UDP and IPv6 clients the container sees 127.0.0.1, as with podman's
 * rootless default (which shows 127.0.0.1 or the container's own address
 * for every client). */
#ifndef RL_NETWORK_PORTFWD_H
#define RL_NETWORK_PORTFWD_H

#include <stdint.h>
#include <sys/types.h>

#include "ports.h"

typedef struct rl_net_portfwd rl_net_portfwd_t;

/* Bind every host port of ps (a host port of 0 gets a free one, written
 * back into ps). A port already in use is an error naming it. */
rl_net_portfwd_t *rl_net_portfwd_bind(rl_net_ports_t *ps, rl_error_t *err);
/* Outbound TCP for the next attach: the listener and SYN queue made in
 * the container's netns (taken; closed at detach). */
void rl_net_portfwd_outbound(rl_net_portfwd_t *f, int listen_fd, int queue_fd);
struct rl_ev;
/* Forward to the container running as pid: its helper is started, and
 * the listeners (and every connection after) are sources of ev. */
int rl_net_portfwd_attach(rl_net_portfwd_t *f, pid_t pid, struct rl_ev *ev, rl_error_t *err);
/* The container is gone: its connections, flows and helper go; the
 * listeners stay bound (for a restart) but unwatched. */
void rl_net_portfwd_detach(rl_net_portfwd_t *f);
/* Detach, and close the listeners: the host ports are free again. */
void rl_net_portfwd_unbind(rl_net_portfwd_t *f);
/* Unbind and free. */
void rl_net_portfwd_free(rl_net_portfwd_t *f);

#endif
