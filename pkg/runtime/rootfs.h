/* SPDX-License-Identifier: Apache-2.0 */
/* Mounting an image's layers as the container's root, inside the
 * container's own user and mount namespace (DESIGN.md §3): gone with it. */
#ifndef RL_RUNTIME_ROOTFS_H
#define RL_RUNTIME_ROOTFS_H

#include <stdbool.h>

#include "pkg/util/error.h"

typedef enum {
    RL_ROOTFS_BUNDLE = 0, /* root.path as it is (rl oci) */
    RL_ROOTFS_OVERLAY,
    RL_ROOTFS_FUSE_OVERLAYFS,
    RL_ROOTFS_VFS, /* root.path is a full copy made beforehand */
} rl_rootfs_driver_t;

typedef struct rl_rootfs {
    rl_rootfs_driver_t driver;
    char **lower; /* layer diff dirs, top first */
    const char *upper, *work;
    bool userxattr; /* rootless overlay */
    /* --rm: the upper dir goes with the container, so overlay need not sync
     * it at unmount ("volatile", as podman mounts --rm containers); a
     * kernel without the option mounts without it */
    bool volatile_upper;
    /* fuse-overlayfs uidmapping=/gidmapping= values (keep-id) or NULL */
    const char *uidmapping, *gidmapping;
} rl_rootfs_t;

/* Mount onto target (root.path) after / was made private to us. For
 * fuse-overlayfs, only the mount is made here: the daemon serving it must
 * not live in the container's pid namespace, where a process could ptrace
 * it and use its view of the host's file system. Its /dev/fuse fd and our
 * user namespace go to the parent on sync_fd (RL_SYNC_FUSE), which starts
 * it with rl_rootfs_fuse_serve. */
int rl_rootfs_mount(const rl_rootfs_t *r, const char *target, int sync_fd, rl_error_t *err);
/* The parent's side: fuse-overlayfs on fuse_fd, in the container's user
 * namespace (userns_fd) but in our pid and mount namespaces, detached; it
 * ends when the container's mount namespace (and so the mount) goes. */
int rl_rootfs_fuse_serve(const rl_rootfs_t *r, int fuse_fd, int userns_fd, rl_error_t *err);
const char *rl_rootfs_driver_name(rl_rootfs_driver_t d);

#endif
