/* libFuzzer: linux.seccomp → libseccomp → BPF. */
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
        if (rl_seccomp_compile(o, "linux.seccomp", &sc, &err) == 0) rl_seccomp_clear(&sc);
        json_object_put(o);
    }
    rl_error_clear(&err);
    return 0;
}
