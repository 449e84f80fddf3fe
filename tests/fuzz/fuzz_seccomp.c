/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: linux.seccomp → libseccomp → BPF, and that program run by
 * rl's userspace evaluator (seccomp_eval.c) for a few calls. */
#include <stddef.h>
#include <stdint.h>

#include "pkg/runtime/seccomp.h"
#include "pkg/util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_error_t err = RL_ERROR_INIT;
    json_object *o = rl_json_parse((const char *)data, size, "fuzz", &err);
    if (o) {
        rl_seccomp_t sc;
        if (rl_seccomp_compile(o, "linux.seccomp", &sc, &err) == 0) {
            const uint64_t args[6] = {size, size > 0 ? data[0] : 0, 0, 0, 0x1000, 0};
            uint32_t r;
            for (int nr = 0; nr < 450; nr += 7)
                (void)rl_seccomp_eval(&sc, nr, args, &r);
            rl_seccomp_clear(&sc);
        }
        json_object_put(o);
    }
    rl_error_clear(&err);
    return 0;
}
