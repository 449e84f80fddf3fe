/* The libarchive symbol table (see libarchive.h). */
#include "libarchive.h"

struct rl_libarchive rl_libarchive;

void rl_libarchive_load(void)
{
    static int loaded;
    static const char *const names[] = {RL_LIBARCHIVE_SYMS(RL_DL_NAME)};
    if (loaded) return;
    rl_dl_bind("libarchive.so.13", "libarchive13", names, (void **)&rl_libarchive,
               sizeof names / sizeof names[0]);
    loaded = 1;
}
