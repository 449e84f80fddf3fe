/* SPDX-License-Identifier: Apache-2.0 */
/* The per-user runtime directory: $XDG_RUNTIME_DIR when usable, else
 * /tmp/rl-$UID (created 0700, owner checked). Never fails for a user with
 * a writable /tmp or home. */
#ifndef RL_ROOTLESS_RUNDIR_H
#define RL_ROOTLESS_RUNDIR_H

#include "pkg/util/error.h"

/* The base runtime dir (without the "rl" component). Caller frees. */
char *rl_rundir_base(rl_error_t *err);
/* A private directory we own: exists (or is created) 0700, not a symlink,
 * owned by us. Returns 0, or -1 with err saying why it is unusable. */
int rl_rundir_ensure_private(const char *path, rl_error_t *err);

#endif
