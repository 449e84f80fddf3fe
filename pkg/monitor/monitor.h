/* SPDX-License-Identifier: Apache-2.0 */
/* The per-container monitor (DESIGN.md §1): starts the container, owns its
 * lifetime, records its state, logs its output, serves `rl attach`,
 * restarts it by policy, and goes away with it. Detached (`rl run -d`,
 * `rl start`, `rl run -it`) it is a forked, setsid process; for another
 * foreground `rl run` the rl process itself plays the part. */
#ifndef RL_MONITOR_MONITOR_H
#define RL_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "pkg/network/portfwd.h"
#include "pkg/network/slirp.h"
#include "pkg/runtime/container.h"
#include "restart.h"
#include "storage/ctr_policy.h"
#include "storage/store.h"

typedef struct rl_mon_opts {
    rl_store_t *s;
    const char *id;
    rl_create_opts_t create; /* what the executor builds at each start */
    rl_ctr_log_driver_t log_driver;
    int64_t log_max_size;
    bool rm;               /* remove the container once it has exited */
    bool tty, interactive; /* a terminal; stdin open for attach (-i) */
    bool sig_proxy;        /* foreground: forward our signals to the container */
    rl_ctr_restart_t restart;
    int attach_fd;       /* detached: a client attached from the start, or -1 */
    int attach_peer;     /* that client's own end: closed in the monitor */
    const char *pidfile; /* the container's pid, written at each start */
    const char *monitor_pidfile;
    const char *notify_socket; /* NOTIFY_SOCKET for MAINPID (and READY=1 when notify_ready) */
    bool notify_ready;
    rl_net_slirp_opts_t slirp;   /* with create.net: libslirp's settings (tap_fd set here) */
    rl_net_portfwd_t *fwd;       /* published ports, bound already; or NULL */
    const rl_net_ports_t *ports; /* those ports, as bound (for the state) */
} rl_mon_opts_t;

/* Detached: returns once the container runs (0), or with the error its
 * start met (err->exit 125/126/127). */
int rl_mon_start(const rl_mon_opts_t *o, rl_error_t *err);
/* Foreground: run, relay output and signals, and return the container's
 * exit code. */
int rl_mon_foreground(const rl_mon_opts_t *o, rl_error_t *err);

#endif
