/* SPDX-License-Identifier: Apache-2.0 */
/* The libarchive symbol table (see libarchive.h). */
#include "libarchive.h"

struct rl_libarchive rl_libarchive;

int rl_libarchive_load(rl_error_t *err)
{
    static int loaded;
    static const char *const names[] = {RL_LIBARCHIVE_SYMS(RL_DL_NAME)};
    if (loaded) return 0;
    if (rl_dl_bind("libarchive.so.13", "libarchive13", names, (void **)&rl_libarchive,
                   sizeof names / sizeof names[0], err) < 0)
        return -1;
    loaded = 1;
    return 0;
}
