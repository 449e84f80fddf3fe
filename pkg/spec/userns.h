/* SPDX-License-Identifier: Apache-2.0 */
/* --userns: "" / host / private (the user's own mapping: 0 → the user, the
 * rest subordinate ids, podman's rootless default) or keep-id[:uid=N,gid=N]
 * (the user keeps their uid and gid inside; rootless/keepid.h). */
#ifndef RL_SPEC_USERNS_H
#define RL_SPEC_USERNS_H

#include <stdbool.h>

#include "rootless/keepid.h"

typedef struct rl_spec_userns {
    bool keep_id;
    uint32_t uid, gid; /* keep-id: the ids the user has inside */
} rl_spec_userns_t;

int rl_spec_userns_parse(const char *value, rl_spec_userns_t *u, rl_error_t *err);

/* The container's mappings and, for keep-id, the pairs that translate the
 * store's ids (NULL/0 otherwise). Caller frees all four arrays. */
typedef struct rl_spec_userns_maps {
    rl_idmap_t *uids, *gids;
    size_t n_uids, n_gids;
    rl_idpair_t *uid_pairs, *gid_pairs;
    size_t n_uid_pairs, n_gid_pairs;
} rl_spec_userns_maps_t;

int rl_spec_userns_maps(const rl_spec_userns_t *u, rl_spec_userns_maps_t *m, rl_error_t *err);
void rl_spec_userns_maps_clear(rl_spec_userns_maps_t *m);

struct rl_spec;
/* A config.json with a new user namespace and no uidMappings (or no
 * gidMappings), as `crun spec --rootless` writes it: give it crun's default,
 * process.user's id → the caller, every other id from 0 up → the caller's
 * subordinate ids (the caller alone, with a warning, when there are none). */
int rl_spec_fill_idmaps(struct rl_spec *s, rl_error_t *err);

#endif
