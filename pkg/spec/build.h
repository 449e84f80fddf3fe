/* SPDX-License-Identifier: Apache-2.0 */
/* config.json for `rl run IMAGE`: podman's defaults, the image config, then
 * the user's options, in that order of precedence. */
#ifndef RL_SPEC_BUILD_H
#define RL_SPEC_BUILD_H

#include <json-c/json.h>
#include <stdbool.h>

#include "pkg/image/config.h"
#include "pkg/image/passwd.h"
#include "pkg/spec/userns.h"
#include "pkg/util/error.h"

typedef struct rl_spec_run_opts {
    char **args;      /* after IMAGE; NULL: the image's Cmd */
    char *entrypoint; /* --entrypoint: a command or a JSON array; "" clears */
    char **env;       /* -e KEY=VAL or KEY (from our environment) */
    char **env_files; /* --env-file */
    char *workdir, *user, *hostname, *name;
    char **volumes; /* -v SRC:DST[:OPTS] */
    char **mounts;  /* --mount type=bind|tmpfs,... */
    char **tmpfs;   /* --tmpfs DST[:OPTS] */
    char **cap_add, **cap_drop;
    char **ulimits; /* NAME=SOFT[:HARD] */
    char *seccomp;  /* FILE or "unconfined"; NULL: the default profile */
    char *network;  /* slirp[:opts] (NULL), none, host (pkg/network/netmode.h) */
    char **dns, **dns_search, **dns_opts, **add_hosts; /* resolv.conf and hosts */
    bool no_hosts;                                     /* keep the image's /etc/hosts */
    char *pid, *ipc, *uts;                             /* "host" or NULL */
    char *userns; /* NULL, host, private, keep-id[:uid=N,gid=N] (userns.h) */
    bool read_only, privileged, no_new_privs, tty, interactive;
    char **labels;     /* --label KEY[=VALUE]: annotations, over the image's labels */
    char *stop_signal; /* --stop-signal: over the image's StopSignal */
    bool env_host;     /* --env-host: our environment, over the image's */
    bool unsetenv_all; /* --unsetenv-all: none of the image's or rl's defaults */
    char **unsetenv;   /* --unsetenv KEY: not this one of them */
    char **sysctls;    /* --sysctl KEY=VALUE: namespaced ones only */
} rl_spec_run_opts_t;

/* The spec for a container whose root is rootfs_path. user: resolved in the
 * image. ids: the container's mappings when not the default (keep-id, as
 * the caller computed them from o->userns), else NULL. */
json_object *rl_spec_build(const rl_image_config_t *img, const rl_spec_run_opts_t *o,
                           const rl_image_user_t *user, const rl_spec_userns_maps_t *ids,
                           const char *rootfs_path, const char *id, rl_error_t *err);
/* The mount parts: -v, --mount, --tmpfs appended to the spec's mounts. */
int rl_spec_add_user_mounts(json_object *mounts, const rl_spec_run_opts_t *o, rl_error_t *err);
/* The command: entrypoint + args as podman combines them. */
char **rl_spec_command(const rl_image_config_t *img, const rl_spec_run_opts_t *o, rl_error_t *err);
/* Environment: image, --env-host, rl's defaults (less --unsetenv's),
 * HOSTNAME, then --env-file, then -e. */
char **rl_spec_env(const rl_image_config_t *img, const rl_spec_run_opts_t *o, const char *home,
                   const char *hostname, rl_error_t *err);

/* --env-file (run, create, exec): each file's lines, KEY=VALUE or KEY
 * alone (our value, if we have one), set onto *env in order. */
int rl_spec_env_files(char ***env, char *const *files, rl_error_t *err);

void rl_spec_run_opts_clear(rl_spec_run_opts_t *o);

#endif
