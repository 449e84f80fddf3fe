/* SPDX-License-Identifier: Apache-2.0 */
/* Copy a directory tree into another, merging: owner, mode, times and
 * xattrs kept (overlay's own xattrs left out), a directory merged into one
 * that exists, anything else replacing what is there. The storage vfs driver
 * (layer over layer, with whiteouts) and tmpfs `tmpcopyup` use it. */
#ifndef RL_UTIL_COPYTREE_H
#define RL_UTIL_COPYTREE_H

#include <sys/stat.h>
#include <sys/types.h>

#include "error.h"

typedef struct rl_copytree {
    /* The copy's owner; NULL: the source's. */
    void (*owner)(void *arg, const struct stat *st, uid_t *u, gid_t *g);
    /* Before each entry is copied: > 0 handled here (skip it), 0 copy it,
     * < 0 an error. NULL: copy everything. */
    int (*entry)(void *arg, int sdir, int ddir, const char *name, const struct stat *st,
                 rl_error_t *err);
    void *arg;
} rl_copytree_t;

/* Copy the entries of directory sdir into directory ddir. */
int rl_copytree(const rl_copytree_t *how, int sdir, int ddir, rl_error_t *err);
/* Give directory fd the owner and mode of st, as the tree copy does. */
int rl_copytree_set_owner(const rl_copytree_t *how, int fd, const struct stat *st, const char *name,
                          rl_error_t *err);

#endif
