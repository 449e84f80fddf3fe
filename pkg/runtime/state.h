/* SPDX-License-Identifier: Apache-2.0 */
/* Container state for `rl oci`: <root>/<id>/state.json (+ config.json, the
 * spec as created, and start.sock while the container waits to be started). */
#ifndef RL_RUNTIME_STATE_H
#define RL_RUNTIME_STATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

#include "pkg/util/error.h"
#include "pkg/util/proc.h"

typedef struct rl_state {
    char *id;
    char *bundle;
    char *rootfs;
    char *oci_version;
    char *created; /* RFC 3339 */
    char *owner;
    char *cgroup; /* the container's own cgroup directory, or NULL */
    pid_t pid;
    unsigned long long start_time; /* /proc/PID/stat field 22: tells a recycled pid */
    char *boot_id;                 /* the boot it was recorded in (read; written as now) */
    json_object *annotations;      /* owned, may be NULL */
    /* no mount namespace of its own: the one its mounts under rootfs were
     * made in (rl_mount_ns_id), for delete to undo them; else 0 */
    unsigned long long shared_mntns;
    bool no_hooks; /* the spec has none: start and delete need not read it */
} rl_state_t;

/* <rundir>/rl/oci, created 0700. Caller frees. */
char *rl_state_default_root(rl_error_t *err);
int rl_state_validate_id(const char *id, rl_error_t *err);
char *rl_state_path(const char *root, const char *id, const char *file);

/* Create <root>/<id>; fails when the id is taken. */
int rl_state_create_dir(const char *root, const char *id, rl_error_t *err);
int rl_state_save(const char *root, const rl_state_t *st, rl_error_t *err);
rl_state_t *rl_state_load(const char *root, const char *id, rl_error_t *err);
void rl_state_free(rl_state_t *st);
int rl_state_destroy(const char *root, const char *id, rl_error_t *err);
/* Exclusive flock on the container's directory; returns the fd. */
int rl_state_lock(const char *root, const char *id, rl_error_t *err);

/* "created", "running" or "stopped", from the live process. */
const char *rl_state_status(const char *root, const rl_state_t *st);
/* The container's init as its state names it (pkg/util/proc.h). */
rl_proc_id_t rl_state_proc(const rl_state_t *st);
bool rl_state_alive(const rl_state_t *st);
/* The runtime-spec state object. */
json_object *rl_state_to_json(const rl_state_t *st, const char *status);
/* Ids under root, sorted. */
int rl_state_list(const char *root, char ***ids, rl_error_t *err);

/* /proc/PID/stat: state, parent and start time (each may be NULL). */

#endif
