/* SPDX-License-Identifier: Apache-2.0 */
/* The per-user store (DESIGN.md §3): its root, its lock, its paths. The
 * lock is held only around metadata reads and updates, never across
 * downloads or extraction. */
#ifndef RL_STORAGE_STORE_H
#define RL_STORAGE_STORE_H

#include <stdbool.h>

#include "pkg/util/error.h"

typedef struct rl_store {
    char *root;
    int lock_fd;
    int locked; /* 0, LOCK_SH or LOCK_EX */
    bool rootless;
} rl_store_t;

/* root NULL: $XDG_DATA_HOME/rl (~/.local/share/rl; /var/lib/rl for root). */
char *rl_store_default_root(void);
rl_store_t *rl_store_open(const char *root, rl_error_t *err);
void rl_store_free(rl_store_t *s);
static inline void rl_store_freep(rl_store_t **s)
{
    rl_store_free(*s);
}
#define rl_autostore __attribute__((cleanup(rl_store_freep)))

/* mode: LOCK_SH for readers, LOCK_EX for writers. */
int rl_store_lock(rl_store_t *s, int mode, rl_error_t *err);
void rl_store_unlock(rl_store_t *s);
/* A staging path of this process in the store's tmp/ ("tmp/WHAT-PID"),
 * swept by the next run when left behind. Caller frees. */
char *rl_store_tmp_path(const rl_store_t *s, const char *what);
/* Held (shared) by pull, load and import from their first layer to their
 * image record: prune removes unreferenced layers only when it can take it
 * exclusively, so it never deletes a layer an image is about to name. */
int rl_store_hold_layers(rl_store_t *s, rl_error_t *err);
int rl_store_try_own_layers(rl_store_t *s);

/* Remove everything: containers, images, layers, the store itself. */
int rl_store_reset(rl_store_t *s, rl_error_t *err);

/* Remove what crashed runs left: temporary layer and image dirs nobody
 * is working on. Takes per-layer locks, not the store lock. */
void rl_store_clean_leftovers(rl_store_t *s);

#endif
