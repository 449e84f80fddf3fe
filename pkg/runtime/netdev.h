/* SPDX-License-Identifier: Apache-2.0 */
/* The container's end of slirp networking: a tap device in the container's
 * network namespace, its addresses, MTU and default routes, set over
 * netlink (libmnl), as pkg/network planned it (plan.h). The tap fd goes to
 * the monitor, which runs libslirp on it. */
#ifndef RL_RUNTIME_NETDEV_H
#define RL_RUNTIME_NETDEV_H

#include <netinet/in.h>
#include <stdbool.h>

#include "pkg/network/plan.h"
#include "pkg/util/error.h"

/* What the monitor gets: the tap, and the outbound listener and SYN queue
 * (-1 where the kernel could not divert outbound TCP: slirp carries it). */
typedef struct rl_netfds {
    int tap, out_listen, out_queue;
} rl_netfds_t;

#define RL_NETFDS_NONE ((rl_netfds_t){-1, -1, -1})
void rl_netfds_close(rl_netfds_t *f);

/* Parent, before the clone: load the libraries while the host's files are
 * there. */
int rl_netdev_load(const rl_net_plan_t *d, rl_error_t *err);
/* Child, as root of the container's user namespace, inside its new network
 * namespace: create and configure the tap (and the outbound path). */
int rl_netdev_create(const rl_net_plan_t *d, rl_netfds_t *fds, rl_error_t *err);

#endif
