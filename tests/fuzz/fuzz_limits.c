/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: linux.resources → cgroup v2 files and device rules, and mount
 * option lists. */
#include <stddef.h>
#include <stdint.h>

#include "pkg/cgroups/cgroups.h"
#include "pkg/runtime/mountopts.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_error_t err = RL_ERROR_INIT;
    json_object *o = rl_json_parse((const char *)data, size, "fuzz", &err);
    if (o) {
        rl_cgroup_limits_t l;
        if (json_object_is_type(o, json_type_object) && rl_cgroup_limits_parse(o, &l, &err) == 0)
            rl_cgroup_limits_clear(&l);
        rl_error_clear(&err);
        rl_dev_rules_t d;
        if (json_object_is_type(o, json_type_object) && rl_cgroup_devices_parse(o, &d, &err) == 0) {
            char line[80];
            for (size_t i = 0; i < d.n; i++)
                rl_cgroup_device_line(&d.v[i], line, sizeof line);
            rl_cgroup_devices_unenforced(&d, "fuzz", &err);
            rl_cgroup_devices_clear(&d);
        }
        rl_error_clear(&err);
        char **opts = NULL;
        if (rl_json_strv(o, "", "options", false, &opts, &err) > 0) {
            rl_mount_opts_t mo;
            if (rl_mount_opts_parse(opts, &mo, &err) == 0) rl_mount_opts_clear(&mo);
            rl_strv_free(opts);
        }
        json_object_put(o);
    }
    rl_error_clear(&err);
    return 0;
}
