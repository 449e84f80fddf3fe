/* SPDX-License-Identifier: Apache-2.0 */
/* What `rl run` adds to a built spec from the host side: files bound in
 * (shadowed /etc/passwd, the init, the systemd notify socket). */
#ifndef RL_ENGINE_SPEC_EXTRAS_H
#define RL_ENGINE_SPEC_EXTRAS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "pkg/spec/build.h"
#include "pkg/util/error.h"

#define RL_INIT_IN_CONTAINER   "/run/rl-init"
#define RL_NOTIFY_IN_CONTAINER "/run/notify/notify.sock"

/* --init: the init binary (given, or catatonit where Debian and podman put
 * it), to bind in and run as pid 1 in front of the command. Caller frees. */
char *rl_engine_find_init(const char *given, rl_error_t *err);
void rl_engine_spec_init(json_object *spec, const char *init_path);
/* --sdnotify=container: the socket bound in, NOTIFY_SOCKET set to it. */
int rl_engine_spec_notify(json_object *spec, const char *socket_path, rl_error_t *err);

/* /etc/resolv.conf, /etc/hosts (unless --no-hosts) and /etc/hostname for
 * the network mode and the user's --dns/--add-host, written into dir and
 * bound in; synced to disk when durable (not for --rm). */
int rl_engine_spec_etc(json_object *spec, const char *dir, const rl_spec_run_opts_t *o,
                       bool durable, rl_error_t *err);

#endif
