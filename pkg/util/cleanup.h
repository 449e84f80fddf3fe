/* SPDX-License-Identifier: Apache-2.0 */
/* Scope-bound cleanup (DESIGN.md §4): a variable declared with one of these
 * is released when it goes out of scope; rl_steal_* hands ownership on. */
#ifndef RL_UTIL_CLEANUP_H
#define RL_UTIL_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "xalloc.h"

static inline void rl_freep(void *p)
{
    free(*(void **)p);
}

static inline void rl_closep(int *fd)
{
    if (*fd >= 0) {
        int saved = errno; /* close() must not clobber the errno we report */
        close(*fd);
        errno = saved;
    }
}

static inline void rl_fclosep(FILE **f)
{
    if (*f) fclose(*f);
}

static inline void rl_strv_freep(char ***v)
{
    rl_strv_free(*v);
}

#define rl_autofree   __attribute__((cleanup(rl_freep)))
#define rl_autoclose  __attribute__((cleanup(rl_closep)))
#define rl_autofclose __attribute__((cleanup(rl_fclosep)))
#define rl_autostrv   __attribute__((cleanup(rl_strv_freep)))

#define rl_steal_ptr(pp)                                                                           \
    ({                                                                                             \
        __typeof__(*(pp)) _p = *(pp);                                                              \
        *(pp) = NULL;                                                                              \
        _p;                                                                                        \
    })

#define rl_steal_fd(fdp)                                                                           \
    ({                                                                                             \
        int _fd = *(fdp);                                                                          \
        *(fdp) = -1;                                                                               \
        _fd;                                                                                       \
    })

#endif
