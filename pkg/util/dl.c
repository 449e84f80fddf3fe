/* SPDX-License-Identifier: Apache-2.0 */
/* Binding optional libraries at first use (see dl.h). */
#include "dl.h"

#include <dlfcn.h>
#include <string.h>

/* A missing library is the installation's fault, not the command's: 125, as
 * podman exits when its own setup fails. */
static int missing(rl_error_t *err, int rc)
{
    err->exit = 125;
    return rc;
}

int rl_dl_bind(const char *soname, const char *package, const char *const *names, void **ptrs,
               size_t n, rl_error_t *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return missing(err, rl_error_set(err, 0,
                                         "cannot load %s (%s): install it with: apt-get install %s",
                                         soname, dlerror(), package));
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(h, names[i]);
        if (!sym)
            return missing(err, rl_error_set(err, 0, "%s lacks %s: install a newer %s", soname,
                                             names[i], package));
        memcpy(&ptrs[i], &sym, sizeof sym);
    }
    return 0;
}
