/* SPDX-License-Identifier: Apache-2.0 */
/* Sockets made in a running container's network namespace, for the
 * monitor's port forwarder. The monitor cannot enter the container's
 * namespaces itself (it must stay on the host side), so a small forked
 * helper joins the container's user and network namespaces and hands back
 * a fresh socket for each request. A socket belongs to the namespace it
 * was made in; the monitor then connects and relays it from the host side.
 * The helper holds the netns only while the monitor keeps it. */
#ifndef RL_NETWORK_NSHELPER_H
#define RL_NETWORK_NSHELPER_H

#include <stdbool.h>
#include <sys/types.h>

#include "pkg/util/error.h"

typedef struct rl_net_nshelper {
    pid_t pid; /* -1: none */
    int fd;    /* our end of the request channel */
} rl_net_nshelper_t;

/* Fork the helper into target's namespaces; returns once it is in them. */
int rl_net_nshelper_start(rl_net_nshelper_t *h, pid_t target, rl_error_t *err);
/* A new socket (close-on-exec, non-blocking) in the container's netns;
 * transparent: IP_TRANSPARENT and the forwarder's mark set on it. -1 with
 * errno on failure. */
int rl_net_nshelper_socket(rl_net_nshelper_t *h, int family, int type, bool transparent);
/* Let it go (it exits on EOF) and reap it. */
void rl_net_nshelper_stop(rl_net_nshelper_t *h);

#endif
