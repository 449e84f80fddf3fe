/* SPDX-License-Identifier: Apache-2.0 */
/* Edits of a spec's JSON: of one being built (rl run's binds, --init,
 * --sdnotify) and of a stored one (a start that joins another container's
 * namespaces). Outside pkg/spec no code reads or writes a spec's JSON. */
#ifndef RL_SPEC_EDIT_H
#define RL_SPEC_EDIT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

#include "pkg/util/error.h"
#include "spec.h"

/* A bind mount of src at dst, read-only or read-write, after the others. */
void rl_spec_add_bind(json_object *spec, const char *src, const char *dst, bool ro);
/* process.args becomes front + args (front NULL-terminated). */
void rl_spec_prepend_args(json_object *spec, const char *const *front);
/* "KEY=VALUE" added to process.env. */
void rl_spec_add_env(json_object *spec, const char *kv);
/* The spec's hostname, NULL when it has none (the host's uts namespace). */
const char *rl_spec_hostname(json_object *spec);

/* Write spec to file (replaced atomically; synced when durable). */
int rl_spec_write(json_object *spec, const char *file, bool durable, rl_error_t *err);

/* The stored config.json at file: the namespaces of types join pid's (an
 * entry of each type gets /proc/PID/ns/NAME, added when missing); when the
 * user namespace is joined, the id mappings go (that namespace has its
 * own). Replaced atomically. */
int rl_spec_file_join(const char *file, const rl_spec_ns_type_t *types, size_t n, pid_t pid,
                      rl_error_t *err);

#endif
