/* SPDX-License-Identifier: Apache-2.0 */
/* Seccomp profiles as podman reads them (containers/common's format: OCI
 * plus includes/excludes by capability, arch and kernel version), turned
 * into the OCI linux.seccomp object for one container. */
#ifndef RL_SPEC_SECCOMP_PROFILE_H
#define RL_SPEC_SECCOMP_PROFILE_H

#include <json-c/json.h>

#include "pkg/util/error.h"

/* podman's default profile file, used when present. */
#define RL_SECCOMP_DEFAULT_FILE "/usr/share/containers/seccomp.json"

/* caps: the container's bounding set (CAP_ names). Returns a new object. */
json_object *rl_spec_seccomp_convert(json_object *profile, char *const *caps, rl_error_t *err);
/* The default: podman's file, else rl's built-in deny list. */
json_object *rl_spec_seccomp_default(char *const *caps, rl_error_t *err);
json_object *rl_spec_seccomp_load(const char *file, char *const *caps, rl_error_t *err);

#endif
