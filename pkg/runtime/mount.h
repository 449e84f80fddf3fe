/* SPDX-License-Identifier: Apache-2.0 */
/* The container's file system view, in its own mount namespace:
 * rootfs, the spec's mounts, /dev, pivot_root, masked and read-only paths
 * (or, without one, the mounts under the rootfs and a chroot). */
#ifndef RL_RUNTIME_MOUNT_H
#define RL_RUNTIME_MOUNT_H

#include <stdbool.h>

#include "pkg/spec/spec.h"
#include "rootfs.h"
#include "pkg/util/error.h"

/* Before pivot: propagation, rootfs bind, the spec's mounts, /dev; then
 * pivot_root (or MS_MOVE + chroot with no_pivot). */
/* rootfs: layers to mount on root.path first (NULL: root.path as it is);
 * sync_fd: where a fuse-overlayfs mount's fds go (rl_rootfs_mount). */
int rl_mount_rootfs(const rl_spec_t *spec, const rl_rootfs_t *rootfs, bool no_pivot, int sync_fd,
                    rl_error_t *err);
/* The inode of our mount namespace: which one a container without its own
 * made its mounts in. */
unsigned long long rl_mount_ns_id(void);
/* Detach every mount below rootfs, when we are in mntns (the namespace a
 * container without its own shared); quiet, for delete. */
void rl_mount_undo_shared(const char *rootfs, unsigned long long mntns);
/* After pivot and sysctls: masked paths, read-only paths, read-only root. */
int rl_mount_finish(const rl_spec_t *spec, rl_error_t *err);

/* Apply MS_* flags to an existing bind mount (fd: its root), keeping flags the
 * kernel locks in a user namespace. */
int rl_mount_set_flags(int fd, unsigned long set, unsigned long clear, bool recursive,
                       rl_error_t *err);

/* /dev: default devices, the spec's devices, the standard symlinks. */
int rl_devices_setup(int rootfd, const rl_spec_t *spec, rl_error_t *err);
/* Bind-mount fd (an open file) onto path under rootfd. */
int rl_mount_bind_fd(int srcfd, int rootfd, const char *dest, bool dir, bool recursive,
                     rl_error_t *err);

#endif
