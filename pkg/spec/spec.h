/* SPDX-License-Identifier: Apache-2.0 */
/* The OCI runtime spec (config.json) as C structures. Parsing checks types
 * and values and names the JSON path of anything wrong. */
#ifndef RL_SPEC_SPEC_H
#define RL_SPEC_SPEC_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hooks.h"
#include "pkg/util/error.h"
#include "rootless/idmap.h"

typedef enum {
    RL_NS_USER,
    RL_NS_MOUNT,
    RL_NS_PID,
    RL_NS_UTS,
    RL_NS_IPC,
    RL_NS_NET,
    RL_NS_CGROUP,
    RL_NS_TIME,
    RL_NS_COUNT
} rl_spec_ns_type_t;

typedef struct rl_spec_ns {
    bool wanted;
    char *path; /* join this namespace instead of creating one */
} rl_spec_ns_t;

typedef enum {
    RL_CAP_BOUNDING,
    RL_CAP_EFFECTIVE,
    RL_CAP_INHERITABLE,
    RL_CAP_PERMITTED,
    RL_CAP_AMBIENT,
    RL_CAP_NSETS
} rl_cap_set_t;

typedef struct rl_spec_caps {
    bool present;
    uint64_t sets[RL_CAP_NSETS]; /* bit n = capability n */
} rl_spec_caps_t;

typedef struct rl_spec_rlimit {
    int resource;
    uint64_t soft, hard;
} rl_spec_rlimit_t;

typedef struct rl_spec_user {
    uint32_t uid, gid;
    uint32_t *gids;
    size_t n_gids;
    int umask; /* -1: leave as is */
} rl_spec_user_t;

typedef struct rl_spec_process {
    bool terminal;
    unsigned console_height, console_width;
    rl_spec_user_t user;
    char **args;
    char **env;
    char *cwd;
    rl_spec_caps_t caps;
    bool no_new_privileges;
    rl_spec_rlimit_t *rlimits;
    size_t n_rlimits;
    bool has_oom_score_adj;
    int oom_score_adj;
    char *apparmor_profile;
} rl_spec_process_t;

typedef struct rl_spec_mount {
    char *destination;
    char *type; /* may be NULL for bind mounts */
    char *source;
    char **options;
} rl_spec_mount_t;

typedef struct rl_spec_device {
    char *path;
    char type; /* c, b, u, p */
    int64_t major, minor;
    bool has_mode, has_uid, has_gid;
    uint32_t mode, uid, gid;
} rl_spec_device_t;

typedef struct rl_spec {
    json_object *json; /* owns the borrowed objects below */
    char *text;        /* rl_spec_load: the file as read (NULL otherwise) */
    size_t text_len;
    char *oci_version;
    char *bundle;    /* absolute */
    char *root_path; /* absolute */
    bool root_readonly;
    char *hostname, *domainname;
    bool has_process;
    rl_spec_process_t process;
    rl_spec_mount_t *mounts;
    size_t n_mounts;
    rl_spec_ns_t ns[RL_NS_COUNT];
    rl_idmap_t *uid_maps, *gid_maps;
    size_t n_uid_maps, n_gid_maps;
    rl_spec_device_t *devices;
    size_t n_devices;
    char **masked_paths, **readonly_paths;
    char *rootfs_propagation;
    char *cgroups_path;
    bool has_time_offsets;
    int64_t time_offsets[2][2]; /* [monotonic|boottime][secs|nanosecs] */
    json_object *sysctl, *seccomp, *resources, *annotations; /* borrowed */
    rl_spec_hooks_t hooks;
} rl_spec_t;

/* Parse bundle/config.json. name prefixes errors ("config.json"). */
rl_spec_t *rl_spec_load(const char *bundle, rl_error_t *err);
rl_spec_t *rl_spec_parse(json_object *json, const char *bundle, rl_error_t *err);
/* A spec stored elsewhere than its bundle (the runtime's saved copy). */
rl_spec_t *rl_spec_load_file(const char *path, const char *bundle, rl_error_t *err);
void rl_spec_free(rl_spec_t *spec);

/* A process object at path (a "process" of config.json, or an exec --process file). */
int rl_spec_process_parse(json_object *obj, const char *path, rl_spec_process_t *proc,
                          rl_error_t *err);
void rl_spec_process_clear(rl_spec_process_t *proc);

const char *rl_spec_ns_name(rl_spec_ns_type_t type);      /* spec name: "network" */
const char *rl_spec_ns_proc_name(rl_spec_ns_type_t type); /* /proc/PID/ns name: "net" */
int rl_spec_ns_clone_flag(rl_spec_ns_type_t type);

/* The annotation's value, NULL when the spec lacks it; all of them as a
 * new JSON object (empty when none). */
const char *rl_spec_annotation(const rl_spec_t *s, const char *key);
json_object *rl_spec_annotations_json(const rl_spec_t *s);

/* Capability and rlimit names. */
int rl_spec_cap_from_name(const char *name);    /* < 0 unknown */
int rl_spec_rlimit_from_name(const char *name); /* < 0 unknown */

#endif
