/* SPDX-License-Identifier: Apache-2.0 */
/* `rl info`: podman's structure (host, store, registries, plugins,
 * version) filled with rl's real values. Two shapes of the same facts:
 * json_out in podman's JSON names (--format json, the YAML), tmpl_out in
 * its Go field names (what --format templates address: .Host.OCIRuntime.Name). */
#ifndef RL_ENGINE_INFO_H
#define RL_ENGINE_INFO_H

#include <json-c/json.h>

#include "pkg/util/error.h"
#include "storage/store.h"

int rl_engine_info(rl_store_t *s, const char *driver_flag, json_object **json_out,
                   json_object **tmpl_out, rl_error_t *err);

#endif
