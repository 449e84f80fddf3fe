/* SPDX-License-Identifier: Apache-2.0 */
/* OCI mount options ("ro", "nosuid", "rbind", "mode=755", ...) → mount(2)
 * flags, mount_setattr(2) attributes, propagation and fs data. */
#ifndef RL_RUNTIME_MOUNTOPTS_H
#define RL_RUNTIME_MOUNTOPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_mount_opts {
    unsigned long flags;       /* MS_* to set */
    unsigned long clear;       /* MS_* explicitly cleared ("rw", "suid", ...) */
    unsigned long propagation; /* MS_PRIVATE|MS_REC, ... or 0 */
    bool bind, recursive;      /* "bind" / "rbind" */
    bool copyup;               /* "tmpcopyup": a tmpfs starts with what was there */
    uint64_t rec_attr_set;     /* "rro", "rnosuid", ...: MOUNT_ATTR_* applied recursively */
    uint64_t rec_attr_clr;
    char *data; /* what the file system parses: "mode=755,size=65536k" */
} rl_mount_opts_t;

int rl_mount_opts_parse(char *const *options, rl_mount_opts_t *out, rl_error_t *err);
void rl_mount_opts_clear(rl_mount_opts_t *o);
/* The options the parser takes, sorted (rl oci features); caller frees. */
char **rl_mount_opts_names(void);

#endif
