/* SPDX-License-Identifier: Apache-2.0 */
/* Restart policy, log driver, sd_notify mode (see ctr_policy.h). */
#include "ctr_policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/xalloc.h"

static const char *const restart_names[] = {"", "on-failure", "always", "unless-stopped"};
static const char *const driver_names[] = {"k8s-file", "none", "passthrough"};
static const char *const sdnotify_names[] = {"container", "conmon", "ignore"};

int rl_ctr_restart_parse(const char *s, rl_ctr_restart_t *r, rl_error_t *err)
{
    *r = (rl_ctr_restart_t){RL_RESTART_NO, 0};
    if (!s || !*s || !strcmp(s, "no")) return 0;
    if (!strcmp(s, "always")) return r->kind = RL_RESTART_ALWAYS, 0;
    if (!strcmp(s, "unless-stopped")) return r->kind = RL_RESTART_UNLESS_STOPPED, 0;
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
        return rl_error_setk(err, RL_ERR_INVALID, 0,
                             "--restart '%s': the retry count must be a number from 0 to 1000000",
                             s);
    }
    return rl_error_setk(err, RL_ERR_INVALID, 0,
                         "--restart '%s': use no, on-failure[:COUNT], always or unless-stopped", s);
}

char *rl_ctr_restart_format(const rl_ctr_restart_t *r)
{
    if (r->kind == RL_RESTART_NO) return NULL;
    if (r->kind == RL_RESTART_ON_FAILURE && r->max) return xasprintf("on-failure:%d", r->max);
    return xstrdup(restart_names[r->kind]);
}

const char *rl_ctr_restart_name(rl_ctr_restart_kind_t kind)
{
    return restart_names[kind];
}

int rl_ctr_log_driver_parse(const char *s, rl_ctr_log_driver_t *d, rl_error_t *err)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, driver_names[i])) return *d = (rl_ctr_log_driver_t)i, 0;
    if (!strcmp(s, "journald"))
        return rl_error_setk(err, RL_ERR_UNSUPPORTED, 0,
                             "--log-driver journald: not supported; use k8s-file, none or "
                             "passthrough");
    return rl_error_setk(err, RL_ERR_INVALID, 0,
                         "--log-driver '%s': use k8s-file, none or passthrough", s);
}

const char *rl_ctr_log_driver_name(rl_ctr_log_driver_t d)
{
    return driver_names[d];
}

int rl_ctr_sdnotify_parse(const char *s, rl_ctr_sdnotify_t *m, rl_error_t *err)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, sdnotify_names[i])) return *m = (rl_ctr_sdnotify_t)i, 0;
    return rl_error_setk(err, RL_ERR_INVALID, 0, "--sdnotify '%s': use container, conmon or ignore",
                         s);
}

const char *rl_ctr_sdnotify_name(rl_ctr_sdnotify_t m)
{
    return sdnotify_names[m];
}
