/* SPDX-License-Identifier: Apache-2.0 */
/* Path resolution inside the container's rootfs: symlinks are followed as if
 * the rootfs were "/" (openat2 RESOLVE_IN_ROOT), so an image cannot point a
 * mount or a device at a host path. */
#ifndef RL_RUNTIME_RESOLVE_H
#define RL_RUNTIME_RESOLVE_H

#include <stdbool.h>

#include "pkg/util/error.h"

/* Open path (absolute or relative, taken under rootfd) with flags | O_CLOEXEC.
 * Returns the fd, or -1 with errno set (err filled). */
int rl_open_in_root(int rootfd, const char *path, int flags, rl_error_t *err);
/* Create path under rootfd if missing: directories on the way, and the last
 * component as a directory (dir) or an empty file. */
int rl_ensure_in_root(int rootfd, const char *path, bool dir, rl_error_t *err);
/* "/proc/self/fd/N" for mount(2) and friends. */
#define RL_FD_PATH_MAX 32
const char *rl_fd_path(int fd, char buf[RL_FD_PATH_MAX]);

#endif
