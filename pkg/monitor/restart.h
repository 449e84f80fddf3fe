/* SPDX-License-Identifier: Apache-2.0 */
/* --restart=no|on-failure[:N]|always|unless-stopped: whether the monitor
 * starts the container again after it exits, and how long it waits. */
#ifndef RL_MONITOR_RESTART_H
#define RL_MONITOR_RESTART_H

#include <stdbool.h>

#include "pkg/util/error.h"

typedef enum { RL_RESTART_NO, RL_RESTART_ON_FAILURE, RL_RESTART_ALWAYS } rl_mon_restart_kind_t;

typedef struct rl_mon_restart {
    rl_mon_restart_kind_t kind;
    int max; /* on-failure:N; 0 without a limit */
} rl_mon_restart_t;

/* NULL or "" is "no". unless-stopped is always: rl restarts nothing at
 * boot, so the two differ only in name. */
int rl_mon_restart_parse(const char *s, rl_mon_restart_t *r, rl_error_t *err);
/* After an exit with code, restarts done so far. */
bool rl_mon_restart_wanted(const rl_mon_restart_t *r, int code, int restarts);
/* Back-off before restart number n+1: 100 ms doubling up to 10 s; back
 * to 100 ms after a run of 10 s or more. */
int rl_mon_restart_delay_ms(int restarts, long ran_ms);

#endif
