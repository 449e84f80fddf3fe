/* SPDX-License-Identifier: Apache-2.0 */
/* --userns=keep-id: the user's own uid inside the container, and what that
 * means for image files stored under the default mapping.
 *
 * The store keeps layers in "storage ids": the ids the default rootless
 * mapping shows (0 → the user, 1.. → subordinate ids). A keep-id container
 * maps the same host ids differently (its uid K → the user), so image files
 * must be shown to it with their storage ids: fuse-overlayfs translates on
 * the fly, a vfs copy is chowned once. Both need the same table: which
 * container id and which storage id name the same host id. */
#ifndef RL_ROOTLESS_KEEPID_H
#define RL_ROOTLESS_KEEPID_H

#include "idmap.h"

/* One run of ids: container id ctr .. ctr+len-1 is the same host id as
 * storage id stor .. stor+len-1. */
typedef struct rl_idpair {
    uint32_t ctr, stor, len;
} rl_idpair_t;

/* Owner translation for files a keep-id container is to see as stored. */
typedef struct rl_idshift {
    const rl_idpair_t *uids, *gids;
    size_t n_uids, n_gids;
} rl_idshift_t;

/* The keep-id mapping from the default one (def[0] is 0 → the user, the rest
 * subordinate ranges): keep → the user, every other container id from 0 up
 * → the subordinate ids in order. Fails without subordinate ids. */
int rl_idmap_keep_id(const rl_idmap_t *def, size_t n, uint32_t keep, rl_idmap_t **out,
                     size_t *n_out, rl_error_t *err);

/* The pairs linking container mapping ctr with storage mapping stor. */
void rl_idmap_pairs(const rl_idmap_t *ctr, size_t nc, const rl_idmap_t *stor, size_t ns,
                    rl_idpair_t **out, size_t *n_out);

/* Storage id that a container under these pairs sees as id: where a file
 * must be chowned to for the container to see it owned by id. */
bool rl_idpair_shift(const rl_idpair_t *p, size_t n, uint32_t id, uint32_t *out);

/* fuse-overlayfs "uidmapping=" value, triples of (id on disk as the daemon
 * sees it, id it shows, count). The daemon runs in the container's
 * namespace, where a stored file appears with its container id; it is to
 * show the storage id. */
char *rl_idpair_fuse_option(const rl_idpair_t *p, size_t n);

#endif
