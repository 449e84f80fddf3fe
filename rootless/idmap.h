/* SPDX-License-Identifier: Apache-2.0 */
/* User namespace id mappings: parsing, the default rootless mapping, and
 * writing a child's uid_map/gid_map (directly or through newuidmap/newgidmap). */
#ifndef RL_ROOTLESS_IDMAP_H
#define RL_ROOTLESS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pkg/util/error.h"

typedef struct rl_idmap {
    uint32_t container_id;
    uint32_t host_id;
    uint32_t size;
} rl_idmap_t;

/* The kernel's limit on lines in uid_map/gid_map. */
#define RL_IDMAP_MAX 340

/* Parse the /proc/PID/uid_map text format ("0 1000 1\n1 100000 65536\n"). */
int rl_idmap_parse_proc(const char *text, rl_idmap_t **maps, size_t *n, rl_error_t *err);
/* Parse the CLI format "0:1000:1,1:100000:65536" (podman --uidmap style). */
int rl_idmap_parse_cli(const char *text, rl_idmap_t **maps, size_t *n, rl_error_t *err);
/* Check sizes, overflow and overlaps of container and host ranges. */
int rl_idmap_validate(const rl_idmap_t *maps, size_t n, const char *what, rl_error_t *err);
/* Map a container id to the host; returns false when unmapped. */
bool rl_idmap_to_host(const rl_idmap_t *maps, size_t n, uint32_t id, uint32_t *host);
/* Render as uid_map text. Caller frees. */
char *rl_idmap_format(const rl_idmap_t *maps, size_t n);

/* The default rootless mapping: 0 → the user, 1.. → the user's subordinate
 * ranges. With no range, the single-id map and one warning naming the fix. */
int rl_idmap_default(uid_t uid, gid_t gid, rl_idmap_t **uids, size_t *n_uids, rl_idmap_t **gids,
                     size_t *n_gids, rl_error_t *err);

/* Write the maps of process pid. Uses newuidmap/newgidmap unless the maps
 * can be written directly (single own id, or we hold CAP_SETUID over it).
 * deny_setgroups: write "deny" to /proc/pid/setgroups before a direct gid_map. */
int rl_idmap_apply(pid_t pid, const rl_idmap_t *uids, size_t n_uids, const rl_idmap_t *gids,
                   size_t n_gids, rl_error_t *err);

#endif
