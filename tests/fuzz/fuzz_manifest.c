/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: manifests and indexes (all media types), platform selection,
 * and image configs, all registry-controlled input. */
#include <stdint.h>

#include "pkg/image/config.h"
#include "pkg/image/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_manifest_t m;
    if (rl_manifest_parse((const char *)data, size, NULL, &m, &err) == 0) {
        if (m.is_index) {
            rl_platform_t p = {.os = "linux", .arch = "arm64", .variant = "v8"};
            rl_manifest_select(&m, &p, &err);
            rl_error_clear(&err);
        }
        rl_manifest_clear(&m);
    }
    rl_error_clear(&err);
    rl_image_config_t c;
    if (rl_image_config_parse((const char *)data, size, &c, &err) == 0) rl_image_config_free(&c);
    rl_error_clear(&err);
    return 0;
}
