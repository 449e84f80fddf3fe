/* SPDX-License-Identifier: Apache-2.0 */
/* rl container prune, rl system prune, rl system df: what the store holds
 * and what can go. */
#ifndef RL_ENGINE_PRUNE_H
#define RL_ENGINE_PRUNE_H

#include <stdbool.h>

#include "storage/store.h"

/* Remove every container that is not running (nor waiting to restart);
 * their ids are appended to *removed. *bytes: the space their dirs held. */
int rl_engine_ctr_prune(rl_store_t *s, char ***removed, unsigned long long *bytes, rl_error_t *err);

typedef struct rl_engine_df_row {
    int total, active;
    unsigned long long size, reclaimable;
} rl_engine_df_row_t;

/* images, containers */
int rl_engine_df(rl_store_t *s, rl_engine_df_row_t *images, rl_engine_df_row_t *containers,
                 rl_error_t *err);
/* A container's own size: its writable layer (upper/ or, vfs, rootfs/). */
unsigned long long rl_engine_ctr_size(rl_store_t *s, const char *id, const char *driver);

#endif
