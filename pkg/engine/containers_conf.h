/* SPDX-License-Identifier: Apache-2.0 */
/* containers.conf(5): the settings rl takes from it. Files merge in
 * podman's order, a later one's key winning: /usr/share/containers/
 * containers.conf, /etc/containers/containers.conf, its .d/ drop-ins, then
 * the user's ($XDG_CONFIG_HOME or ~/.config)/containers/containers.conf and
 * its .d/; $CONTAINERS_CONF, when set, is the only file read. */
#ifndef RL_ENGINE_CONTAINERS_CONF_H
#define RL_ENGINE_CONTAINERS_CONF_H

#include "pkg/util/error.h"

typedef struct rl_engine_containers_conf {
    long long log_size_max; /* [containers] log_size_max; 0: no limit (podman's -1) */
} rl_engine_containers_conf_t;

int rl_engine_containers_conf_load(rl_engine_containers_conf_t *c, rl_error_t *err);

#endif
