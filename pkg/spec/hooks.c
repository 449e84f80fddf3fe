/* SPDX-License-Identifier: Apache-2.0 */
/* Hooks (see hooks.h). */
#include "hooks.h"

#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

#define SPEC_MAX (16 << 20)

static const char *const phases[RL_HOOK_NPHASES] = {
    [RL_HOOK_PRESTART] = "prestart",
    [RL_HOOK_CREATE_RUNTIME] = "createRuntime",
    [RL_HOOK_POSTSTART] = "poststart",
    [RL_HOOK_POSTSTOP] = "poststop",
};

const char *rl_spec_hook_phase_name(rl_spec_hook_phase_t p)
{
    return p < RL_HOOK_NPHASES ? phases[p] : "?";
}

static int phase_of(const char *name, rl_error_t *err)
{
    for (int i = 0; i < RL_HOOK_NPHASES; i++)
        if (!strcmp(name, phases[i])) return i;
    if (!strcmp(name, "createContainer") || !strcmp(name, "startContainer"))
        return rl_error_setk(err, RL_ERR_UNSUPPORTED, 0,
                             "hooks.%s: hooks run inside the container are not supported by rl yet",
                             name);
    return rl_error_setk(err, RL_ERR_INVALID, 0, "hooks.%s: unknown hook phase", name);
}

static void hook_clear(rl_spec_hook_t *h)
{
    free(h->path);
    rl_strv_free(h->args);
    rl_strv_free(h->env);
}

static int parse_hook(json_object *o, const char *p, rl_spec_hook_t *h, rl_error_t *err)
{
    const char *path;
    if (rl_json_expect(o, p, json_type_object, err) < 0 ||
        rl_json_str(o, p, "path", true, &path, err) < 0)
        return -1;
    if (path[0] != '/')
        return rl_error_setk(err, RL_ERR_INVALID, 0, "%s.path: '%s' is not an absolute path", p,
                             path);
    h->path = xstrdup(path);
    if (rl_json_strv(o, p, "args", false, &h->args, err) < 0 ||
        rl_json_strv(o, p, "env", false, &h->env, err) < 0 ||
        rl_json_i64(o, p, "timeout", 1, 86400, &h->timeout, err) < 0)
        return -1;
    if (!h->args || !h->args[0]) {
        rl_strv_free(h->args);
        h->args = xcalloc(2, sizeof *h->args);
        h->args[0] = xstrdup(path);
    }
    if (!h->env) h->env = xcalloc(1, sizeof *h->env);
    return 0;
}

static int parse_phase(json_object *arr, int ph, rl_spec_hooks_t *out, rl_error_t *err)
{
    rl_autofree char *p = xasprintf("hooks.%s", phases[ph]);
    if (!arr) return 0;
    if (rl_json_expect(arr, p, json_type_array, err) < 0) return -1;
    size_t n = json_object_array_length(arr);
    out->v[ph] = xcalloc(n ? n : 1, sizeof *out->v[ph]);
    for (size_t i = 0; i < n; i++, out->n[ph]++) {
        rl_autofree char *hp = rl_json_path_idx(p, i);
        if (parse_hook(json_object_array_get_idx(arr, i), hp, &out->v[ph][i], err) < 0) {
            hook_clear(&out->v[ph][i]);
            return -1;
        }
    }
    return 0;
}

int rl_spec_hooks_parse(json_object *hooks, rl_spec_hooks_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!hooks) return 0;
    if (rl_json_expect(hooks, "hooks", json_type_object, err) < 0) return -1;
    out->present = true;
    json_object_object_foreach(hooks, name, arr)
    {
        int ph = phase_of(name, err);
        if (ph < 0 || parse_phase(arr, ph, out, err) < 0) {
            rl_spec_hooks_clear(out);
            return -1;
        }
    }
    return 0;
}

int rl_spec_hooks_load(const char *path, rl_spec_hooks_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    rl_autojson json_object *spec = rl_json_parse_file(path, SPEC_MAX, err);
    if (!spec) return -1;
    json_object *hooks = NULL;
    if (rl_json_get(spec, "", "hooks", json_type_object, false, &hooks, err) < 0) return -1;
    return rl_spec_hooks_parse(hooks, out, err);
}

void rl_spec_hooks_clear(rl_spec_hooks_t *h)
{
    for (int ph = 0; ph < RL_HOOK_NPHASES; ph++) {
        for (size_t i = 0; i < h->n[ph]; i++)
            hook_clear(&h->v[ph][i]);
        free(h->v[ph]);
    }
    memset(h, 0, sizeof *h);
}
