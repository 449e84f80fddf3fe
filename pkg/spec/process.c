/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing of a "process" object: config.json's, or `rl oci exec --process`. */
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"
#include "spec.h"

static const char *const cap_set_names[RL_CAP_NSETS] = {
    [RL_CAP_BOUNDING] = "bounding",       [RL_CAP_EFFECTIVE] = "effective",
    [RL_CAP_INHERITABLE] = "inheritable", [RL_CAP_PERMITTED] = "permitted",
    [RL_CAP_AMBIENT] = "ambient",
};

static int parse_caps(json_object *obj, const char *path, rl_spec_caps_t *caps, rl_error_t *err)
{
    json_object *c;
    int r = rl_json_get(obj, path, "capabilities", json_type_object, false, &c, err);
    if (r <= 0) return r;
    rl_autofree char *cpath = rl_json_path_key(path, "capabilities");
    caps->present = true;
    for (int s = 0; s < RL_CAP_NSETS; s++) {
        rl_autostrv char **names = NULL;
        if (rl_json_strv(c, cpath, cap_set_names[s], false, &names, err) < 0) return -1;
        for (size_t i = 0; names && names[i]; i++) {
            int v = rl_spec_cap_from_name(names[i]);
            if (v < 0) {
                rl_autofree char *sp = rl_json_path_key(cpath, cap_set_names[s]);
                return rl_error_set(err, 0, "%s[%zu]: unknown capability '%s'", sp, i, names[i]);
            }
            caps->sets[s] |= 1ULL << v;
        }
    }
    return 0;
}

static int parse_rlimits(json_object *obj, const char *path, rl_spec_process_t *p, rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(obj, path, "rlimits", json_type_array, false, &arr, err);
    if (r <= 0) return r;
    rl_autofree char *apath = rl_json_path_key(path, "rlimits");
    size_t n = json_object_array_length(arr);
    p->rlimits = xcalloc(n + 1, sizeof *p->rlimits);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        rl_autofree char *ep = rl_json_path_idx(apath, i);
        const char *type;
        if (rl_json_expect(e, ep, json_type_object, err) < 0 ||
            rl_json_str(e, ep, "type", true, &type, err) < 0)
            return -1;
        int res = rl_spec_rlimit_from_name(type);
        if (res < 0) return rl_error_set(err, 0, "%s.type: unknown rlimit '%s'", ep, type);
        rl_spec_rlimit_t *rl = &p->rlimits[p->n_rlimits++];
        rl->resource = res;
        if (rl_json_u64(e, ep, "soft", &rl->soft, err) <= 0 ||
            rl_json_u64(e, ep, "hard", &rl->hard, err) <= 0) {
            if (!rl_error_is_set(err)) rl_error_set(err, 0, "%s: soft and hard are required", ep);
            return -1;
        }
        if (rl->soft > rl->hard)
            return rl_error_set(err, 0, "%s: soft limit is above the hard limit", ep);
    }
    return 0;
}

static int parse_user(json_object *obj, const char *path, rl_spec_user_t *u, rl_error_t *err)
{
    json_object *uo;
    u->umask = -1;
    int r = rl_json_get(obj, path, "user", json_type_object, false, &uo, err);
    if (r <= 0) return r;
    rl_autofree char *up = rl_json_path_key(path, "user");
    int64_t v = 0;
    if (rl_json_i64(uo, up, "uid", 0, UINT32_MAX - 1, &v, err) < 0) return -1;
    u->uid = (uint32_t)v;
    v = 0;
    if ((r = rl_json_i64(uo, up, "gid", 0, UINT32_MAX - 1, &v, err)) < 0) return -1;
    u->gid = (uint32_t)v;
    v = -1;
    if (rl_json_i64(uo, up, "umask", 0, 07777, &v, err) < 0) return -1;
    u->umask = (int)v;
    json_object *g;
    if ((r = rl_json_get(uo, up, "additionalGids", json_type_array, false, &g, err)) < 0) return -1;
    size_t n = r > 0 ? json_object_array_length(g) : 0;
    u->gids = xcalloc(n + 1, sizeof *u->gids);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(g, i);
        int64_t gid = json_object_get_int64(e);
        if (json_object_get_type(e) != json_type_int || gid < 0 || gid >= UINT32_MAX) {
            rl_autofree char *gp = rl_json_path_key(up, "additionalGids");
            return rl_error_set(err, 0, "%s[%zu]: expected a gid", gp, i);
        }
        u->gids[u->n_gids++] = (uint32_t)gid;
    }
    return 0;
}

static int parse_console(json_object *obj, const char *path, rl_spec_process_t *p, rl_error_t *err)
{
    json_object *cs;
    int r = rl_json_get(obj, path, "consoleSize", json_type_object, false, &cs, err);
    if (r <= 0) return r;
    rl_autofree char *cp = rl_json_path_key(path, "consoleSize");
    int64_t h = 0, w = 0;
    if (rl_json_i64(cs, cp, "height", 0, UINT16_MAX, &h, err) < 0 ||
        rl_json_i64(cs, cp, "width", 0, UINT16_MAX, &w, err) < 0)
        return -1;
    p->console_height = (unsigned)h;
    p->console_width = (unsigned)w;
    return 0;
}

static int check_env(char **env, const char *path, rl_error_t *err)
{
    for (size_t i = 0; env && env[i]; i++)
        if (!strchr(env[i], '=') || env[i][0] == '=')
            return rl_error_set(err, 0, "%s.env[%zu]: '%s' is not NAME=VALUE", path, i, env[i]);
    return 0;
}

int rl_spec_process_parse(json_object *obj, const char *path, rl_spec_process_t *p, rl_error_t *err)
{
    const char *cwd = "/", *aa = NULL;
    int64_t oom = 0;
    if (rl_json_bool(obj, path, "terminal", &p->terminal, err) < 0 ||
        parse_console(obj, path, p, err) < 0 || parse_user(obj, path, &p->user, err) < 0 ||
        rl_json_strv(obj, path, "args", true, &p->args, err) < 0 ||
        rl_json_strv(obj, path, "env", false, &p->env, err) < 0 ||
        check_env(p->env, path, err) < 0 || rl_json_str(obj, path, "cwd", false, &cwd, err) < 0 ||
        parse_caps(obj, path, &p->caps, err) < 0 ||
        rl_json_bool(obj, path, "noNewPrivileges", &p->no_new_privileges, err) < 0 ||
        parse_rlimits(obj, path, p, err) < 0 ||
        rl_json_str(obj, path, "apparmorProfile", false, &aa, err) < 0)
        return -1;
    int r = rl_json_i64(obj, path, "oomScoreAdj", -1000, 1000, &oom, err);
    if (r < 0) return -1;
    p->has_oom_score_adj = r > 0;
    p->oom_score_adj = (int)oom;
    if (!p->args[0]) return rl_error_set(err, 0, "%s.args: must not be empty", path);
    if (cwd[0] != '/')
        return rl_error_set(err, 0, "%s.cwd: '%s' is not an absolute path", path, cwd);
    p->cwd = xstrdup(cwd);
    p->apparmor_profile = aa && *aa ? xstrdup(aa) : NULL;
    if (!p->env) p->env = xcalloc(1, sizeof *p->env);
    return 0;
}

void rl_spec_process_clear(rl_spec_process_t *p)
{
    free(p->user.gids);
    rl_strv_free(p->args);
    rl_strv_free(p->env);
    free(p->cwd);
    free(p->rlimits);
    free(p->apparmor_profile);
    memset(p, 0, sizeof *p);
}
