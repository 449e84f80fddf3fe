/* SPDX-License-Identifier: Apache-2.0 */
/* `rl inspect` of a container: podman's fields (State, Config, Mounts,
 * HostConfig, ...) from the record, the state and the saved spec. */
#ifndef RL_ENGINE_INSPECT_H
#define RL_ENGINE_INSPECT_H

#include <json-c/json.h>

#include "storage/store.h"

json_object *rl_engine_ctr_inspect_json(rl_store_t *s, const char *id, rl_error_t *err);

#endif
