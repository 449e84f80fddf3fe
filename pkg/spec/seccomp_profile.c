/* SPDX-License-Identifier: Apache-2.0 */
/* Profile → OCI seccomp (see seccomp_profile.h). */
#include "seccomp_profile.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/platform.h"

static const char *scmp_arch(void)
{
    struct utsname u;
    uname(&u);
    if (!strcmp(u.machine, "x86_64")) return "SCMP_ARCH_X86_64";
    if (!strcmp(u.machine, "aarch64")) return "SCMP_ARCH_AARCH64";
    return NULL;
}

static bool in_strv(char *const *v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (!strcasecmp(v[i], s)) return true;
    return false;
}

static bool kernel_at_least(const char *min)
{
    struct utsname u;
    uname(&u);
    int a = 0, b = 0, x = 0, y = 0;
    sscanf(u.release, "%d.%d", &a, &b);
    sscanf(min, "%d.%d", &x, &y);
    return a > x || (a == x && b >= y);
}

/* Does the condition object hold for this container? all: every listed
 * cap/arch present (includes); any: one of them present (excludes). */
static bool cond_holds(json_object *cond, char *const *caps, bool all)
{
    json_object *v;
    bool any = false, every = true;
    if (json_object_object_get_ex(cond, "caps", &v) && json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            bool has = in_strv(caps, json_object_get_string(json_object_array_get_idx(v, i)));
            any |= has, every &= has;
        }
    if (json_object_object_get_ex(cond, "arches", &v) && json_object_is_type(v, json_type_array)) {
        bool has = false;
        for (size_t i = 0; i < json_object_array_length(v); i++)
            has |= !strcmp(json_object_get_string(json_object_array_get_idx(v, i)), rl_go_arch());
        any |= has, every &= has;
    }
    if (json_object_object_get_ex(cond, "minKernel", &v) &&
        json_object_is_type(v, json_type_string)) {
        bool has = kernel_at_least(json_object_get_string(v));
        any |= has, every &= has;
    }
    return all ? every : any;
}

static json_object *convert_syscalls(json_object *list, char *const *caps)
{
    json_object *out = json_object_new_array();
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *s = json_object_array_get_idx(list, i), *inc, *exc;
        if (!json_object_is_type(s, json_type_object)) continue;
        if (json_object_object_get_ex(s, "includes", &inc) && !cond_holds(inc, caps, true))
            continue;
        if (json_object_object_get_ex(s, "excludes", &exc) && cond_holds(exc, caps, false))
            continue;
        json_object *c = json_object_new_object();
        json_object_object_foreach(s, k, v)
        {
            if (strcmp(k, "includes") && strcmp(k, "excludes") && strcmp(k, "comment") && v)
                json_object_object_add(c, k, json_object_get(v));
        }
        json_object_array_add(out, c);
    }
    return out;
}

static json_object *architectures(json_object *profile)
{
    json_object *arches = json_object_new_array(), *map, *v;
    const char *native = scmp_arch();
    if (json_object_object_get_ex(profile, "architectures", &v) && v)
        return json_object_put(arches), json_object_get(v);
    if (!native || !json_object_object_get_ex(profile, "archMap", &map) || !map) return arches;
    for (size_t i = 0; i < json_object_array_length(map); i++) {
        json_object *m = json_object_array_get_idx(map, i), *a, *subs;
        if (!json_object_object_get_ex(m, "architecture", &a) ||
            strcmp(json_object_get_string(a), native))
            continue;
        json_object_array_add(arches, json_object_new_string(native));
        if (json_object_object_get_ex(m, "subArchitectures", &subs) && subs)
            for (size_t k = 0; k < json_object_array_length(subs); k++)
                json_object_array_add(arches, json_object_get(json_object_array_get_idx(subs, k)));
    }
    return arches;
}

json_object *rl_spec_seccomp_convert(json_object *profile, char *const *caps, rl_error_t *err)
{
    const char *def = NULL;
    if (!json_object_is_type(profile, json_type_object))
        return rl_error_set(err, 0, "seccomp profile: expected a JSON object"), NULL;
    if (rl_json_str(profile, "", "defaultAction", true, &def, err) < 0) return NULL;
    json_object *out = json_object_new_object(), *v;
    json_object_object_add(out, "defaultAction", json_object_new_string(def));
    if (json_object_object_get_ex(profile, "defaultErrnoRet", &v) && v)
        json_object_object_add(out, "defaultErrnoRet", json_object_get(v));
    if (json_object_object_get_ex(profile, "flags", &v) && v)
        json_object_object_add(out, "flags", json_object_get(v));
    json_object_object_add(out, "architectures", architectures(profile));
    json_object *list = NULL;
    if (rl_json_get(profile, "", "syscalls", json_type_array, false, &list, err) < 0) {
        json_object_put(out);
        return NULL;
    }
    json_object_object_add(out, "syscalls", convert_syscalls(list, caps));
    return out;
}

json_object *rl_spec_seccomp_load(const char *file, char *const *caps, rl_error_t *err)
{
    rl_autojson json_object *p = rl_json_parse_file(file, 4 << 20, err);
    if (!p) return NULL;
    json_object *o = rl_spec_seccomp_convert(p, caps, err);
    if (!o) rl_error_wrap(err, "seccomp profile '%s'", file);
    return o;
}

/* When podman's profile is not installed: allow by default, refuse what
 * podman's profile refuses to a container without extra capabilities. */
static const char *const deny[] = {"acct",
                                   "add_key",
                                   "bpf",
                                   "clock_adjtime",
                                   "clock_settime",
                                   "create_module",
                                   "delete_module",
                                   "finit_module",
                                   "get_kernel_syms",
                                   "get_mempolicy",
                                   "init_module",
                                   "ioperm",
                                   "iopl",
                                   "kcmp",
                                   "kexec_file_load",
                                   "kexec_load",
                                   "keyctl",
                                   "lookup_dcookie",
                                   "mbind",
                                   "mount",
                                   "move_pages",
                                   "nfsservctl",
                                   "open_by_handle_at",
                                   "perf_event_open",
                                   "pivot_root",
                                   "process_vm_readv",
                                   "process_vm_writev",
                                   "ptrace",
                                   "query_module",
                                   "quotactl",
                                   "reboot",
                                   "request_key",
                                   "set_mempolicy",
                                   "setns",
                                   "settimeofday",
                                   "swapoff",
                                   "swapon",
                                   "sysfs",
                                   "syslog",
                                   "umount",
                                   "umount2",
                                   "unshare",
                                   "uselib",
                                   "userfaultfd",
                                   "ustat",
                                   "vm86",
                                   "vm86old",
                                   "fsopen",
                                   "fsmount",
                                   "fsconfig",
                                   "move_mount",
                                   "open_tree",
                                   "fspick",
                                   "mount_setattr",
                                   NULL};

json_object *rl_spec_seccomp_default(char *const *caps, rl_error_t *err)
{
    if (rl_fs_exists(RL_SECCOMP_DEFAULT_FILE))
        return rl_spec_seccomp_load(RL_SECCOMP_DEFAULT_FILE, caps, err);
    json_object *out = json_object_new_object();
    json_object_object_add(out, "defaultAction", json_object_new_string("SCMP_ACT_ALLOW"));
    json_object *rule = json_object_new_object();
    json_object_object_add(rule, "names", rl_json_new_strv(deny));
    json_object_object_add(rule, "action", json_object_new_string("SCMP_ACT_ERRNO"));
    json_object_object_add(rule, "errnoRet", json_object_new_int(1));
    json_object *list = json_object_new_array();
    json_object_array_add(list, rule);
    json_object_object_add(out, "syscalls", list);
    return out;
}
