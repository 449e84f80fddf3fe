/* SPDX-License-Identifier: Apache-2.0 */
/* `rl run` / `rl create` with an image: the glue between the image store,
 * the spec builder and the executor. */
#ifndef RL_ENGINE_RUN_H
#define RL_ENGINE_RUN_H

#include <stdbool.h>

#include "launch.h"
#include "pkg/image/manifest.h"
#include "pkg/spec/build.h"
#include "pkg/transport/progress.h"
#include "storage/ctr_policy.h"
#include "storage/store.h"

typedef enum {
    RL_PULL_MISSING,
    RL_PULL_ALWAYS,
    RL_PULL_NEVER,
    RL_PULL_NEWER
} rl_engine_pull_policy_t;

typedef struct rl_engine_run {
    const char *image;
    rl_spec_run_opts_t opts;
    rl_engine_pull_policy_t pull;
    const char *storage_driver; /* --storage-driver or NULL */
    bool rm;
    bool create_only;  /* rl create: record it, do not start */
    rl_engine_io_t io; /* -d, -i, --sig-proxy, --detach-keys */
    rl_ctr_log_driver_t log_driver;
    long long log_max_size; /* --log-opt max-size */
    rl_ctr_restart_t restart;
    rl_ctr_sdnotify_t sdnotify;
    const char *pidfile, *conmon_pidfile;
    char **publish, **expose;      /* -p, --expose */
    bool publish_all;              /* -P */
    bool init;                     /* --init */
    const char *init_path;         /* --init-path */
    const char *cidfile;           /* --cidfile: the new id written there (must not exist) */
    bool replace;                  /* --replace: a container of the same --name goes first */
    bool rmi;                      /* --rmi: with --rm in the foreground, the image goes after */
    bool has_stop_timeout;         /* --stop-timeout given: */
    int stop_timeout;              /* what rl stop waits for it by default */
    const rl_progress_t *progress; /* of a pull; NULL: quiet */
    rl_platform_t platform;        /* of a pull: --platform, --arch, --os, --variant */
    bool tls_set, tls_on;          /* of a pull: --tls-verify given, and its value */
} rl_engine_run_t;

int rl_engine_pull_policy_parse(const char *s, rl_engine_pull_policy_t *p, rl_error_t *err);
/* The container's exit code (run), 0 (create; *id set), -1 with err. */
int rl_engine_run(rl_store_t *s, const rl_engine_run_t *r, char **id, rl_error_t *err);

#endif
