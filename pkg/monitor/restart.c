/* SPDX-License-Identifier: Apache-2.0 */
#include "restart.h"

bool rl_mon_restart_wanted(const rl_ctr_restart_t *r, int code, int restarts)
{
    switch (r->kind) {
    case RL_RESTART_ALWAYS:
    case RL_RESTART_UNLESS_STOPPED:
        return true;
    case RL_RESTART_ON_FAILURE:
        return code != 0 && (r->max == 0 || restarts < r->max);
    default:
        return false;
    }
}

int rl_mon_restart_delay_ms(int restarts, long ran_ms)
{
    if (ran_ms >= 10000 || restarts <= 0) return 100;
    int shift = restarts > 7 ? 7 : restarts;
    int ms = 100 << shift;
    return ms > 10000 ? 10000 : ms;
}
