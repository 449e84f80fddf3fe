/* SPDX-License-Identifier: Apache-2.0 */
/* Libraries only some commands need (libcurl for pulls, libarchive for
 * layers, libcrypto for digests) are opened on first use: linked normally
 * they cost `rl run` ~30 ms of dynamic loading for ~50 shared objects it
 * never calls. Each user declares its symbols with RL_DL_TABLE (the real
 * prototypes give the pointer types, so calls stay type-checked) and
 * redirects the names to the table with macros. */
#ifndef RL_UTIL_DL_H
#define RL_UTIL_DL_H

#include <stddef.h>

#include "error.h"

/* Open soname and resolve names[i] into ptrs[i]; failing, err names the
 * library and the package to install. */
int rl_dl_bind(const char *soname, const char *package, const char *const *names, void **ptrs,
               size_t n, rl_error_t *err);

/* X(name) list → a struct of typed pointers (all pointer-sized, so laid out
 * as an array), a name table and a loader tag##_load(err): 0 once bound. */
#define RL_DL_MEMBER(name) __typeof__(&name) name;
#define RL_DL_NAME(name)   #name,
#define RL_DL_TABLE(tag, list, soname, package)                                                    \
    static struct {                                                                                \
        list(RL_DL_MEMBER)                                                                         \
    } tag;                                                                                         \
    static int tag##_load(rl_error_t *err)                                                         \
    {                                                                                              \
        static int loaded;                                                                         \
        static const char *const names[] = {list(RL_DL_NAME)};                                     \
        if (loaded) return 0;                                                                      \
        if (rl_dl_bind(soname, package, names, (void **)&tag, sizeof names / sizeof names[0],      \
                       err) < 0)                                                                   \
            return -1;                                                                             \
        loaded = 1;                                                                                \
        return 0;                                                                                  \
    }

#endif
