/* Resource limits through cgroup v2: a delegated subtree (systemd --user's
 * user@UID.service, or any cgroup we own). Where limits cannot be applied
 * (cgroup v1, nothing delegated) a request for them fails clearly, and a
 * container without limits runs without a cgroup of its own. */
#ifndef RL_CGROUPS_CGROUPS_H
#define RL_CGROUPS_CGROUPS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pkg/spec/spec.h"
#include "pkg/util/error.h"

/* Files and values to write, in order ("memory.max" = "268435456"). */
typedef struct rl_cgroup_limits {
    char **files;
    char **values;
    size_t n;
    char *first; /* JSON path of the first limit, for messages */
} rl_cgroup_limits_t;

typedef struct rl_cgroup {
    char *path; /* absolute directory of the container's cgroup */
} rl_cgroup_t;

/* linux.resources → cgroup v2 files. Unsupported settings are errors. */
int rl_cgroup_limits_parse(json_object *res, rl_cgroup_limits_t *out, rl_error_t *err);
void rl_cgroup_limits_clear(rl_cgroup_limits_t *l);

/* The whole decision for a container: *out = NULL when it runs without a
 * cgroup of its own. mount_root: "/sys/fs/cgroup" (tests pass a fake tree);
 * self: the text of /proc/self/cgroup. */
int rl_cgroup_prepare_at(const char *mount_root, bool is_v2, const char *self, uid_t uid,
                         json_object *resources, const char *name, rl_cgroup_t **out,
                         rl_error_t *err);
int rl_cgroup_prepare(const rl_spec_t *spec, const char *id, rl_cgroup_t **out, rl_error_t *err);
int rl_cgroup_enter(const rl_cgroup_t *cg, pid_t pid, rl_error_t *err);
int rl_cgroup_destroy(const rl_cgroup_t *cg, rl_error_t *err);
void rl_cgroup_free(rl_cgroup_t *cg);

#endif
