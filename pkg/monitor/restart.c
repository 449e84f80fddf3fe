/* SPDX-License-Identifier: Apache-2.0 */
#include "restart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int rl_mon_restart_parse(const char *s, rl_mon_restart_t *r, rl_error_t *err)
{
    *r = (rl_mon_restart_t){RL_RESTART_NO, 0};
    if (!s || !*s || !strcmp(s, "no")) return 0;
    if (!strcmp(s, "always") || !strcmp(s, "unless-stopped")) {
        r->kind = RL_RESTART_ALWAYS;
        return 0;
    }
    if (!strncmp(s, "on-failure", 10) && (s[10] == '\0' || s[10] == ':')) {
        r->kind = RL_RESTART_ON_FAILURE;
        if (!s[10]) return 0;
        char *end;
        errno = 0;
        long n = strtol(s + 11, &end, 10);
        if (s[11] >= '0' && s[11] <= '9' && !*end && !errno && n <= 1000000) {
            r->max = (int)n;
            return 0;
        }
        return rl_error_set(
            err, 0, "--restart '%s': the retry count must be a number from 0 to 1000000", s);
    }
    return rl_error_set(err, 0,
                        "--restart '%s': use no, on-failure[:COUNT], always or unless-stopped", s);
}

bool rl_mon_restart_wanted(const rl_mon_restart_t *r, int code, int restarts)
{
    switch (r->kind) {
    case RL_RESTART_ALWAYS:
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
