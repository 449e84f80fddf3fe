/* The per-container monitor (DESIGN.md §1): starts the container, owns its
 * lifetime, records its state, logs its output, and goes away with it.
 * Detached (`rl run -d`, `rl start`) it is a forked, setsid process; for a
 * foreground `rl run` the rl process itself plays the part. */
#ifndef RL_MONITOR_MONITOR_H
#define RL_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "pkg/runtime/container.h"
#include "storage/store.h"

typedef struct rl_monitor_opts {
    rl_store_t *s;
    const char *id;
    rl_create_opts_t create; /* root, id, bundle, rootfs; start and detach are set here */
    rl_log_driver_t log_driver;
    int64_t log_max_size;
    bool rm; /* remove the container once it has exited */
} rl_monitor_opts_t;

/* Detached: returns once the container runs (0), or with the error its
 * start met (err->exit 125/126/127). */
int rl_monitor_start(const rl_monitor_opts_t *o, rl_error_t *err);
/* Foreground: run, relay signals and terminal, and return the container's
 * exit code. */
int rl_monitor_foreground(const rl_monitor_opts_t *o, rl_error_t *err);

#endif
