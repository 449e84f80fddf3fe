/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks: programs run by the runtime at points of the lifecycle, with
 * the container's state JSON on stdin. createRuntime and prestart run once
 * the container's namespaces exist, poststart after the process started,
 * poststop after it is gone (the spec's hooks, typed: pkg/spec/hooks.h). */
#ifndef RL_RUNTIME_HOOKS_H
#define RL_RUNTIME_HOOKS_H

#include <json-c/json.h>

#include "pkg/spec/hooks.h"
#include "pkg/util/error.h"

/* Run the hooks of phase in order, the state JSON on their stdin.
 * createRuntime and prestart: the first failure stops and is returned;
 * poststart, poststop: each failure is a warning and the rest still run. */
int rl_hooks_run(const rl_spec_hooks_t *hooks, rl_spec_hook_phase_t phase, json_object *state,
                 rl_error_t *err);

#endif
