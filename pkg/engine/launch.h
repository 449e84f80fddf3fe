/* SPDX-License-Identifier: Apache-2.0 */
/* Start a recorded container (rl run, rl start): its rootfs and id
 * mapping from the record, then the monitor (pkg/monitor). */
#ifndef RL_ENGINE_LAUNCH_H
#define RL_ENGINE_LAUNCH_H

#include <stdbool.h>

#include "storage/store.h"

/* How the caller stays with the container. */
typedef struct rl_engine_io {
    bool detach;             /* return once it runs */
    bool stdin_on;           /* foreground with a terminal: pass our stdin (run -i, start -i) */
    bool no_sig_proxy;       /* --sig-proxy=false */
    const char *detach_keys; /* NULL: ctrl-p,ctrl-q */
} rl_engine_io_t;

/* detach: returns once it runs (0); else the container's exit code (0
 * when the detach keys left it running). */
int rl_engine_launch(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err);
/* Attach to a running container (rl attach): its exit code, 0 on detach. */
int rl_engine_attach(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err);
/* The runtime's state root for rl's containers: <rundir>/rl/containers. */
char *rl_engine_state_root(rl_error_t *err);

#endif
