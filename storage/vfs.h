/* SPDX-License-Identifier: Apache-2.0 */
/* The vfs driver: the container root as a full copy of its layers (no
 * overlay at all), made in the storage user namespace. Slow, but works on
 * any file system. */
#ifndef RL_STORAGE_VFS_H
#define RL_STORAGE_VFS_H

#include "pkg/util/error.h"
#include "rootless/keepid.h"

/* lower: diff dirs, top first; dest: an empty directory. shift: NULL, or
 * a keep-id container's (owners shifted so that it sees the stored ones). */
int rl_vfs_copy_layers(char *const *lower, const char *dest, const rl_idshift_t *shift,
                       rl_error_t *err);

#endif
