/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "pkg/util/fs.h"
#include "pkg/util/log.h"

int rl_caps_last_cap(void)
{
    static int last = -1;
    if (last >= 0) return last;
    char *text = NULL;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_read_file("/proc/sys/kernel/cap_last_cap", 64, &text, NULL, &err) == 0)
        last = atoi(text);
    rl_error_clear(&err);
    free(text);
    if (last <= 0) last = CAP_LAST_CAP;
    return last;
}

int rl_caps_drop_bounding(const rl_spec_caps_t *caps, rl_error_t *err)
{
    int last = rl_caps_last_cap();
    for (int c = 0; c <= last && c < 64; c++) {
        if (caps->sets[RL_CAP_BOUNDING] & (1ULL << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
            return rl_error_set(err, errno, "drop capability %d from the bounding set", c);
    }
    return 0;
}

static void add_set(cap_t c, cap_flag_t flag, uint64_t mask, int last)
{
    for (int v = 0; v <= last && v < 64; v++) {
        if (!(mask & (1ULL << v))) continue;
        cap_value_t cv = v;
        cap_set_flag(c, flag, 1, &cv, CAP_SET);
    }
}

int rl_caps_apply(const rl_spec_caps_t *caps, rl_error_t *err)
{
    int last = rl_caps_last_cap();
    cap_t c = cap_init();
    if (!c) return rl_error_set(err, errno, "cap_init");
    add_set(c, CAP_EFFECTIVE, caps->sets[RL_CAP_EFFECTIVE], last);
    add_set(c, CAP_PERMITTED, caps->sets[RL_CAP_PERMITTED], last);
    add_set(c, CAP_INHERITABLE, caps->sets[RL_CAP_INHERITABLE], last);
    int r = cap_set_proc(c);
    int saved = errno;
    cap_free(c);
    if (r < 0) return rl_error_set(err, saved, "set capabilities");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return rl_error_set(err, errno, "clear ambient capabilities");
    for (int v = 0; v <= last && v < 64; v++) {
        if (!(caps->sets[RL_CAP_AMBIENT] & (1ULL << v))) continue;
        /* The kernel raises an ambient capability only if it is in both
         * permitted and inheritable (EPERM otherwise). `runc spec --rootless`
         * writes ambient = permitted with no inheritable set, and runc and
         * crun run such bundles by leaving the capability out of ambient
         * (crun ignores EPERM and EINVAL; runc warns and goes on): so do we,
         * or their bundles and buildah's RUN steps would not start here. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0) {
            if (errno != EPERM && errno != EINVAL)
                return rl_error_set(err, errno, "raise ambient capability %d", v);
            rl_debug("ambient capability %d not raised (not in permitted and inheritable)", v);
        }
    }
    return 0;
}
