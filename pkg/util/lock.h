/* SPDX-License-Identifier: Apache-2.0 */
/* flock(2) locks, the one helper for them: a lock file or directory opened
 * and locked, EINTR retried. The lock is held while the fd is open. */
#ifndef RL_UTIL_LOCK_H
#define RL_UTIL_LOCK_H

#include "error.h"

typedef enum {
    RL_LOCK_FILE_CREATE, /* a lock file, made (0600) if missing */
    RL_LOCK_DIR,         /* an existing directory */
} rl_lock_kind_t;

/* Lock an open fd: how is LOCK_SH, LOCK_EX (| LOCK_NB) or LOCK_UN; what
 * names it in the error. */
int rl_lock_fd(int fd, int how, const char *what, rl_error_t *err);
/* Open path and lock it; the fd, or -1 with err (err->code ENOENT when the
 * directory is missing, EWOULDBLOCK when LOCK_NB found it held). */
int rl_lock_path(const char *path, rl_lock_kind_t kind, int how, rl_error_t *err);

#endif
