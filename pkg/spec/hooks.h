/* SPDX-License-Identifier: Apache-2.0 */
/* The spec's hooks, typed: programs the runtime runs at points of the
 * lifecycle (pkg/runtime/hooks.c runs them). createContainer and
 * startContainer (run inside the container) are refused by name. */
#ifndef RL_SPEC_HOOKS_H
#define RL_SPEC_HOOKS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef enum {
    RL_HOOK_PRESTART,
    RL_HOOK_CREATE_RUNTIME,
    RL_HOOK_POSTSTART,
    RL_HOOK_POSTSTOP,
    RL_HOOK_NPHASES
} rl_spec_hook_phase_t;

typedef struct rl_spec_hook {
    char *path;      /* absolute */
    char **args;     /* never empty: [path] when the spec gives none */
    char **env;      /* never NULL */
    int64_t timeout; /* seconds, 0: none */
} rl_spec_hook_t;

typedef struct rl_spec_hooks {
    bool present; /* the spec has a hooks object (even an empty one) */
    rl_spec_hook_t *v[RL_HOOK_NPHASES];
    size_t n[RL_HOOK_NPHASES];
} rl_spec_hooks_t;

/* The spec's "hooks" object (NULL: none). */
int rl_spec_hooks_parse(json_object *hooks, rl_spec_hooks_t *out, rl_error_t *err);
/* The hooks of the config.json at path, nothing else of it: the runtime's
 * saved copy, read again at start and delete. */
int rl_spec_hooks_load(const char *path, rl_spec_hooks_t *out, rl_error_t *err);
void rl_spec_hooks_clear(rl_spec_hooks_t *h);
const char *rl_spec_hook_phase_name(rl_spec_hook_phase_t p); /* "createRuntime" */

#endif
