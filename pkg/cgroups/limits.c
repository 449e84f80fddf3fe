/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources → the cgroup v2 files that carry them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

static void add(rl_cgroup_limits_t *l, const char *path, const char *file, char *value)
{
    l->files = xreallocarray(l->files, l->n + 2, sizeof *l->files);
    l->values = xreallocarray(l->values, l->n + 2, sizeof *l->values);
    l->files[l->n] = xstrdup(file);
    l->values[l->n] = value;
    l->n++;
    l->files[l->n] = l->values[l->n] = NULL;
    if (!l->first) l->first = xstrdup(path);
}

static char *max_or(int64_t v)
{
    return v < 0 ? xstrdup("max") : xasprintf("%" PRId64, v);
}

static int memory(json_object *res, rl_cgroup_limits_t *l, rl_error_t *err)
{
    json_object *m;
    int64_t limit = 0, resv = 0, swap = 0;
    int r = rl_json_get(res, "linux.resources", "memory", json_type_object, false, &m, err);
    if (r <= 0) return r;
    const char *p = "linux.resources.memory";
    int hl, hr, hs;
    if ((hl = rl_json_i64(m, p, "limit", -1, INT64_MAX, &limit, err)) < 0 ||
        (hr = rl_json_i64(m, p, "reservation", -1, INT64_MAX, &resv, err)) < 0 ||
        (hs = rl_json_i64(m, p, "swap", -1, INT64_MAX, &swap, err)) < 0)
        return -1;
    if (hl) add(l, "linux.resources.memory.limit", "memory.max", max_or(limit));
    if (hr) add(l, "linux.resources.memory.reservation", "memory.low", max_or(resv));
    if (hs) {
        /* OCI's swap is memory+swap; v2's memory.swap.max is swap alone */
        if (swap >= 0 && (!hl || limit < 0 || swap < limit))
            return rl_error_set(err, 0, "%s.swap: must be -1 or at least memory.limit", p);
        add(l, "linux.resources.memory.swap", "memory.swap.max",
            max_or(swap < 0 ? -1 : swap - limit));
    }
    return 0;
}

static int cpu(json_object *res, rl_cgroup_limits_t *l, rl_error_t *err)
{
    json_object *c;
    int r = rl_json_get(res, "linux.resources", "cpu", json_type_object, false, &c, err);
    if (r <= 0) return r;
    const char *p = "linux.resources.cpu", *cpus = NULL, *mems = NULL;
    uint64_t shares = 0, period = 0;
    int64_t quota = 0;
    int hs, hq, hp;
    if ((hs = rl_json_u64(c, p, "shares", &shares, err)) < 0 ||
        (hq = rl_json_i64(c, p, "quota", -1, INT64_MAX, &quota, err)) < 0 ||
        (hp = rl_json_u64(c, p, "period", &period, err)) < 0 ||
        rl_json_str(c, p, "cpus", false, &cpus, err) < 0 ||
        rl_json_str(c, p, "mems", false, &mems, err) < 0)
        return -1;
    if (hs && shares) {
        if (shares < 2 || shares > 262144)
            return rl_error_set(err, 0, "%s.shares: %" PRIu64 " is outside 2..262144", p, shares);
        add(l, "linux.resources.cpu.shares", "cpu.weight",
            xasprintf("%" PRIu64, 1 + ((shares - 2) * 9999) / 262142));
    }
    if ((hq && quota != 0) || (hp && period)) {
        if (hp && (period < 1000 || period > 1000000))
            return rl_error_set(err, 0, "%s.period: must be between 1000 and 1000000", p);
        rl_autofree char *q = quota > 0 ? xasprintf("%" PRId64, quota) : xstrdup("max");
        add(l, "linux.resources.cpu.quota", "cpu.max",
            xasprintf("%s %" PRIu64, q, period ? period : 100000));
    }
    if (cpus && *cpus) add(l, "linux.resources.cpu.cpus", "cpuset.cpus", xstrdup(cpus));
    if (mems && *mems) add(l, "linux.resources.cpu.mems", "cpuset.mems", xstrdup(mems));
    return 0;
}

static int pids(json_object *res, rl_cgroup_limits_t *l, rl_error_t *err)
{
    json_object *o;
    int64_t v;
    int r = rl_json_get(res, "linux.resources", "pids", json_type_object, false, &o, err);
    if (r <= 0) return r;
    if ((r = rl_json_i64(o, "linux.resources.pids", "limit", INT64_MIN, INT64_MAX, &v, err)) < 0)
        return -1;
    if (r > 0) add(l, "linux.resources.pids.limit", "pids.max", max_or(v <= 0 ? -1 : v));
    return 0;
}

static int unified(json_object *res, rl_cgroup_limits_t *l, rl_error_t *err)
{
    json_object *u;
    int r = rl_json_get(res, "linux.resources", "unified", json_type_object, false, &u, err);
    if (r <= 0) return r;
    json_object_object_foreach(u, key, val)
    {
        if (!*key || strchr(key, '/') || key[0] == '.' || !strchr(key, '.'))
            return rl_error_set(err, 0, "linux.resources.unified: invalid file name '%s'", key);
        if (json_object_get_type(val) != json_type_string)
            return rl_error_set(err, 0, "linux.resources.unified.%s: expected a string", key);
        rl_autofree char *p = xasprintf("linux.resources.unified.%s", key);
        add(l, p, key, xstrdup(json_object_get_string(val)));
    }
    return 0;
}

/* Settings rl does not translate: refuse rather than silently ignore. */
static int unsupported(json_object *res, rl_error_t *err)
{
    static const char *const keys[] = {"blockIO", "hugepageLimits", "network", "rdma"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_object *v;
        if (!json_object_object_get_ex(res, keys[i], &v) || !v) continue;
        if (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0) continue;
        if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0) continue;
        return rl_error_set(err, 0, "linux.resources.%s: not supported by rl", keys[i]);
    }
    return 0;
}

int rl_cgroup_limits_parse(json_object *res, rl_cgroup_limits_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!res) return 0;
    /* linux.resources.devices: not a limit, see devices.c */
    if (memory(res, out, err) < 0 || cpu(res, out, err) < 0 || pids(res, out, err) < 0 ||
        unified(res, out, err) < 0 || unsupported(res, err) < 0) {
        rl_cgroup_limits_clear(out);
        return -1;
    }
    return 0;
}

void rl_cgroup_limits_clear(rl_cgroup_limits_t *l)
{
    rl_strv_free(l->files);
    rl_strv_free(l->values);
    free(l->first);
    memset(l, 0, sizeof *l);
}
