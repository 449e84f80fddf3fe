/* Start a recorded container (rl run, rl start): its rootfs and id
 * mapping from the record, then the monitor (pkg/monitor). */
#ifndef RL_ENGINE_LAUNCH_H
#define RL_ENGINE_LAUNCH_H

#include <stdbool.h>

#include "storage/store.h"

/* detach: returns once it runs (0); else the container's exit code. */
int rl_engine_launch(rl_store_t *s, const char *id, bool detach, rl_error_t *err);
/* The runtime's state root for rl's containers: <rundir>/rl/containers. */
char *rl_engine_state_root(rl_error_t *err);

#endif
