/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: registries.conf (the TOML subset parser and the table checks),
 * then name resolution against whatever parsed. */
#include <stdint.h>
#include <stdlib.h>

#include "pkg/transport/registries.h"
#include "pkg/util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_registries_t r = {0};
    rl_error_t err = RL_ERROR_INIT;
    if (rl_registries_parse(&r, (const char *)data, size, "fuzz.conf", &err) == 0) {
        char **names = NULL;
        if (rl_registries_candidates(&r, "busybox", &names, &err) == 0) {
            for (size_t i = 0; names[i]; i++) {
                rl_endpoint_t *eps = NULL;
                size_t n = 0;
                if (rl_registries_endpoints(&r, "docker.io/library/busybox", &eps, &n, &err) == 0)
                    rl_endpoints_free(eps, n);
                rl_error_clear(&err);
            }
            rl_strv_free(names);
        }
    }
    rl_error_clear(&err);
    rl_registries_clear(&r);
    return 0;
}
