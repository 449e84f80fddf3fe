/* Binding optional libraries at first use (see dl.h). */
#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rl_dl_bind(const char *soname, const char *package, const char *const *names, void **ptrs,
                size_t n)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "rl: cannot load %s (%s): install it with: apt-get install %s\n", soname,
                dlerror(), package);
        exit(125);
    }
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(h, names[i]);
        if (!sym) {
            fprintf(stderr, "rl: %s lacks %s: install a newer %s\n", soname, names[i], package);
            exit(125);
        }
        memcpy(&ptrs[i], &sym, sizeof sym);
    }
}
