/* SPDX-License-Identifier: Apache-2.0 */
/* Private to storage/ (the include check refuses it elsewhere): the
 * store's layout. Other modules ask storage for a path by what it is
 * (rl_ctr_path, rl_layer_diff_path, rl_store_tmp_path), so that the layout
 * is written down in one module only. */
#ifndef RL_STORAGE_STORE_INT_H
#define RL_STORAGE_STORE_INT_H

#include "store.h"

/* root + "/" + the formatted rest. Caller frees. */
char *rl_store_path(const rl_store_t *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
