/* SPDX-License-Identifier: Apache-2.0 */
/* The network parts of `rl inspect` for a container: NetworkSettings,
 * HostConfig.NetworkMode and PortBindings, as podman shows them. */
#ifndef RL_ENGINE_INSPECT_NET_H
#define RL_ENGINE_INSPECT_NET_H

#include <json-c/json.h>

#include "storage/ctr_state.h"
#include "storage/containers.h"

/* IP address, gateway (while it runs), ports as bound, sandbox key */
json_object *rl_engine_inspect_network(const rl_ctr_rec_t *r, const rl_ctr_state_t *st);
/* "slirp4netns", "none", "host" or "container:NAME", as podman names them */
json_object *rl_engine_inspect_netmode(const rl_ctr_rec_t *r);
/* {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}; ports: record or state form */
json_object *rl_engine_inspect_ports(char *const *ports);

#endif
