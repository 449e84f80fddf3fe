/* Which way the container root is mounted: native overlay in the user
 * namespace, fuse-overlayfs, or a vfs copy. Chosen by --storage-driver,
 * then $RL_STORAGE_DRIVER, then storage.conf's driver, then a probe whose
 * verdict is kept in the store (driver.json) with the reason. */
#ifndef RL_STORAGE_DRIVER_H
#define RL_STORAGE_DRIVER_H

#include "pkg/runtime/rootfs.h"
#include "store.h"

int rl_storage_driver(rl_store_t *s, const char *requested, rl_rootfs_driver_t *driver,
                      char **reason, rl_error_t *err);
/* A keep-id container needs its image's owners shifted: native overlay
 * cannot, so fuse-overlayfs (uidmapping) when usable, else a vfs copy. */
int rl_storage_driver_keep_id(rl_rootfs_driver_t *d, char **reason);
int rl_storage_driver_parse(const char *name, rl_rootfs_driver_t *d, rl_error_t *err);

#endif
