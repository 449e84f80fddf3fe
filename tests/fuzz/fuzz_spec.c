/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: config.json → rl_spec_parse (and every process/mount/linux part). */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "pkg/spec/spec.h"
#include "pkg/util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a bundle whose "rootfs" exists, so parsing goes past root.path */
    static int ready;
    if (!ready) {
        mkdir("/tmp/rl-fuzz-bundle", 0755);
        mkdir("/tmp/rl-fuzz-bundle/rootfs", 0755);
        ready = 1;
    }
    rl_error_t err = RL_ERROR_INIT;
    json_object *o = rl_json_parse((const char *)data, size, "fuzz", &err);
    if (o) {
        rl_spec_t *s = rl_spec_parse(o, "/tmp/rl-fuzz-bundle", &err);
        rl_spec_free(s);
        json_object_put(o);
    }
    rl_error_clear(&err);
    return 0;
}
