/* SPDX-License-Identifier: Apache-2.0 */
/* User-mode networking for a container: libslirp on the container's tap
 * device, run inside the monitor's loop (no slirp4netns process). The
 * monitor polls what rl_net_slirp_fill asks for, then hands the results to
 * rl_net_slirp_poll; timers are folded into the poll timeout. */
#ifndef RL_NETWORK_SLIRP_H
#define RL_NETWORK_SLIRP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "pkg/util/error.h"
#include "plan.h"

typedef struct rl_net_slirp rl_net_slirp_t;

typedef struct rl_net_slirp_opts {
    int tap_fd;                /* taken: closed by rl_net_slirp_free */
    const rl_net_plan_t *plan; /* the network it serves the far end of */
} rl_net_slirp_opts_t;

rl_net_slirp_t *rl_net_slirp_new(const rl_net_slirp_opts_t *o, rl_error_t *err);
void rl_net_slirp_free(rl_net_slirp_t *s);
/* Fill fds (room for max) with what to wait for; lower *timeout_ms (-1:
 * none) to the next timer. Returns how many were filled. */
size_t rl_net_slirp_fill(rl_net_slirp_t *s, struct pollfd *fds, size_t max, int *timeout_ms);
/* After poll(): read frames from the tap, run slirp's sockets and timers. */
void rl_net_slirp_poll(rl_net_slirp_t *s, struct pollfd *fds, size_t n, bool poll_failed);

#endif
