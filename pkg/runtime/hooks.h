/* OCI hooks: programs run by the runtime at points of the lifecycle, with
 * the container's state JSON on stdin. createRuntime and prestart run once
 * the container's namespaces exist, poststart after the process started,
 * poststop after it is gone. createContainer and startContainer (run inside
 * the container) are refused by name. */
#ifndef RL_RUNTIME_HOOKS_H
#define RL_RUNTIME_HOOKS_H

#include <json-c/json.h>

#include "pkg/util/error.h"

/* Check the hooks object; names what rl cannot run. */
int rl_hooks_validate(json_object *hooks, rl_error_t *err);
/* Run hooks[phase] in order. createRuntime and prestart: the first failure
 * stops and is returned; poststart, poststop: each failure is a warning and
 * the rest still run. */
int rl_hooks_run(json_object *hooks, const char *phase, json_object *state, rl_error_t *err);

#endif
