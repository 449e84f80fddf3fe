/* SPDX-License-Identifier: Apache-2.0 */
/* Which way the container root is mounted: native overlay in the user
 * namespace, fuse-overlayfs, or a vfs copy. Chosen by --storage-driver,
 * then $RL_STORAGE_DRIVER, then storage.conf's driver, then a probe whose
 * verdict is kept in the store (driver.json) with the reason. */
#ifndef RL_STORAGE_DRIVER_H
#define RL_STORAGE_DRIVER_H

#include "store.h"

/* The store's own type: the executor has its kind of root mount
 * (pkg/runtime/rootfs.h), which the engine picks from this. */
typedef enum { RL_STORE_OVERLAY, RL_STORE_FUSE_OVERLAYFS, RL_STORE_VFS } rl_store_driver_t;

const char *rl_store_driver_name(rl_store_driver_t d);
int rl_store_driver(rl_store_t *s, const char *requested, rl_store_driver_t *driver, char **reason,
                    rl_error_t *err);
/* A keep-id container needs its image's owners shifted: native overlay
 * cannot, so fuse-overlayfs (uidmapping) when usable, else a vfs copy. */
int rl_store_driver_keep_id(rl_store_driver_t *d, char **reason);
int rl_store_driver_parse(const char *name, rl_store_driver_t *d, rl_error_t *err);

#endif
