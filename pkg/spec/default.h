/* SPDX-License-Identifier: Apache-2.0 */
/* A default config.json, as `rl oci spec` writes it: podman's default
 * capabilities, masked and read-only paths; rootless: a user namespace
 * mapping the user and their subordinate ids. */
#ifndef RL_SPEC_DEFAULT_H
#define RL_SPEC_DEFAULT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "pkg/util/error.h"
#include "rootless/idmap.h"

extern const char *const rl_default_caps[];
extern const char *const rl_default_masked_paths[];
extern const char *const rl_default_readonly_paths[];

json_object *rl_spec_default(bool rootless, rl_error_t *err);
/* linux.uidMappings / gidMappings array. */
json_object *rl_spec_idmaps_json(const rl_idmap_t *m, size_t n);

#endif
