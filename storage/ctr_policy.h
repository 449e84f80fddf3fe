/* SPDX-License-Identifier: Apache-2.0 */
/* How a container runs, as its record keeps it, typed: the restart policy,
 * the log driver and the sd_notify mode. Parsed once, from the command line
 * of rl run/create; container.json keeps them in podman's words, which
 * these functions read back and write. */
#ifndef RL_STORAGE_CTR_POLICY_H
#define RL_STORAGE_CTR_POLICY_H

#include "pkg/util/error.h"

/* --restart=no|on-failure[:N]|always|unless-stopped. unless-stopped acts
 * as always (rl restarts nothing at boot); only its name differs. */
typedef enum {
    RL_RESTART_NO,
    RL_RESTART_ON_FAILURE,
    RL_RESTART_ALWAYS,
    RL_RESTART_UNLESS_STOPPED
} rl_ctr_restart_kind_t;

typedef struct rl_ctr_restart {
    rl_ctr_restart_kind_t kind;
    int max; /* on-failure:N; 0 without a limit */
} rl_ctr_restart_t;

/* NULL or "" is "no". */
int rl_ctr_restart_parse(const char *s, rl_ctr_restart_t *r, rl_error_t *err);
/* "on-failure:3", "always", ...; NULL for no (the record leaves it out). */
char *rl_ctr_restart_format(const rl_ctr_restart_t *r);
/* podman's name of the kind ("" for no, as inspect shows it). */
const char *rl_ctr_restart_name(rl_ctr_restart_kind_t kind);

/* --log-driver */
typedef enum { RL_LOG_K8S_FILE, RL_LOG_NONE, RL_LOG_PASSTHROUGH } rl_ctr_log_driver_t;
int rl_ctr_log_driver_parse(const char *s, rl_ctr_log_driver_t *d, rl_error_t *err);
const char *rl_ctr_log_driver_name(rl_ctr_log_driver_t d);

/* --sdnotify: container (the default: the container says READY), conmon
 * (the monitor says it once the container runs), ignore. */
typedef enum { RL_SDNOTIFY_CONTAINER, RL_SDNOTIFY_CONMON, RL_SDNOTIFY_IGNORE } rl_ctr_sdnotify_t;
int rl_ctr_sdnotify_parse(const char *s, rl_ctr_sdnotify_t *m, rl_error_t *err);
const char *rl_ctr_sdnotify_name(rl_ctr_sdnotify_t m);

#endif
