/* SPDX-License-Identifier: Apache-2.0 */
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

/* linux.resources.devices, in order; major/minor -1 is '*'. */
typedef struct rl_dev_rule {
    bool allow;
    char type; /* a, c, b */
    int64_t major, minor;
    char access[4]; /* r, w, m, each once */
} rl_dev_rule_t;
typedef struct rl_dev_rules {
    rl_dev_rule_t *v;
    size_t n;
} rl_dev_rules_t;
int rl_cgroup_devices_parse(json_object *res, rl_dev_rules_t *out, rl_error_t *err);
void rl_cgroup_devices_clear(rl_dev_rules_t *r);
/* "c 1:3 rwm" (or "a"), the form of devices.allow; buf of 80 is enough. */
void rl_cgroup_device_line(const rl_dev_rule_t *r, char *buf, size_t len);
/* Fails on the first rule that would need enforcing (denying a particular
 * device); why: where we are, for the message. */
int rl_cgroup_devices_unenforced(const rl_dev_rules_t *r, const char *why, rl_error_t *err);
/* Root of the initial user namespace (not root of a user namespace). */
bool rl_cgroup_host_root(void);
/* Root on cgroup v1: the rules in a devices cgroup at linux.cgroupsPath
 * (else rl/<name> below ours), then what every container's /dev holds;
 * *out = NULL when nothing is to be enforced. Elsewhere: the rules are
 * checked with rl_cgroup_devices_unenforced. self: /proc/self/cgroup. */
int rl_cgroup_devices_prepare_at(const char *root, bool v2, const char *self, bool host_root,
                                 const rl_spec_t *spec, const char *name, rl_cgroup_t **out,
                                 rl_error_t *err);

/* The whole decision for a container: *out = NULL when it runs without a
 * cgroup of its own. mount_root: "/sys/fs/cgroup" (tests pass a fake tree);
 * self: the text of /proc/self/cgroup. */
int rl_cgroup_prepare_at(const char *mount_root, bool is_v2, const char *self, uid_t uid,
                         json_object *resources, const char *name, rl_cgroup_t **out,
                         rl_error_t *err);
int rl_cgroup_prepare(const rl_spec_t *spec, const char *id, rl_cgroup_t **out, rl_error_t *err);
/* Our cgroup in the text of /proc/self/cgroup: "" for the v2 hierarchy
 * ("0::/user.slice/..."), else a v1 controller's ("7:devices:/x"). */
char *rl_cgroup_of(const char *self, const char *controller);
/* One value into dir/file (O_CREAT: the unit tests use a plain tree). */
int rl_cgroup_write(const char *dir, const char *file, const char *value, rl_error_t *err);
int rl_cgroup_enter(const rl_cgroup_t *cg, pid_t pid, rl_error_t *err);
int rl_cgroup_destroy(const rl_cgroup_t *cg, rl_error_t *err);
void rl_cgroup_free(rl_cgroup_t *cg);

#endif
