/* SPDX-License-Identifier: Apache-2.0 */
/* --restart=no|on-failure[:N]|always|unless-stopped: whether the monitor
 * starts the container again after it exits, and how long it waits. */
#ifndef RL_MONITOR_RESTART_H
#define RL_MONITOR_RESTART_H

#include <stdbool.h>

#include "storage/ctr_policy.h"

/* After an exit with code, restarts done so far (the policy: the record's,
 * storage/ctr_policy.h). */
bool rl_mon_restart_wanted(const rl_ctr_restart_t *r, int code, int restarts);
/* Back-off before restart number n+1: 100 ms doubling up to 10 s; back
 * to 100 ms after a run of 10 s or more. */
int rl_mon_restart_delay_ms(int restarts, long ran_ms);

#endif
