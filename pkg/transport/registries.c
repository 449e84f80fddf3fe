/* SPDX-License-Identifier: Apache-2.0 */
/* registries.conf (see registries.h). */
#include "registries.h"

#include <stdlib.h>
#include <string.h>

#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/toml.h"

void rl_registries_clear(rl_registries_t *r)
{
    rl_strv_free(r->search);
    if (r->regs) json_object_put(r->regs);
    if (r->aliases) json_object_put(r->aliases);
    memset(r, 0, sizeof *r);
}

static void ensure(rl_registries_t *r)
{
    if (!r->regs) r->regs = json_object_new_array();
    if (!r->aliases) r->aliases = json_object_new_object();
}

/* The v1 format: [registries.search] registries = [...], .insecure, .block */
static int parse_v1(rl_registries_t *r, json_object *v1, rl_error_t *err)
{
    static const char *const kinds[] = {"search", "insecure", "block"};
    for (int k = 0; k < 3; k++) {
        json_object *t = NULL;
        rl_autostrv char **list = NULL;
        rl_autofree char *path = xasprintf("registries.%s", kinds[k]);
        if (rl_json_get(v1, "registries", kinds[k], json_type_object, false, &t, err) < 0 ||
            (t && rl_json_strv(t, path, "registries", false, &list, err) < 0))
            return -1;
        for (size_t i = 0; list && list[i]; i++) {
            if (k == 0) {
                rl_strv_push(&r->search, xstrdup(list[i]));
                continue;
            }
            json_object *reg = json_object_new_object();
            json_object_object_add(reg, "location", json_object_new_string(list[i]));
            json_object_object_add(reg, k == 1 ? "insecure" : "blocked",
                                   json_object_new_boolean(1));
            json_object_array_add(r->regs, reg);
        }
    }
    return 0;
}

static int check_registry(json_object *reg, const char *path, rl_error_t *err)
{
    const char *s = NULL;
    bool b;
    json_object *mirrors = NULL;
    if (rl_json_expect(reg, path, json_type_object, err) < 0 ||
        rl_json_str(reg, path, "prefix", false, &s, err) < 0 ||
        rl_json_str(reg, path, "location", false, &s, err) < 0 ||
        rl_json_bool(reg, path, "insecure", &b, err) < 0 ||
        rl_json_bool(reg, path, "blocked", &b, err) < 0 ||
        rl_json_get(reg, path, "mirror", json_type_array, false, &mirrors, err) < 0)
        return -1;
    const char *prefix = NULL, *loc = NULL;
    rl_json_str(reg, path, "prefix", false, &prefix, err);
    rl_json_str(reg, path, "location", false, &loc, err);
    if (!prefix && !loc) return rl_error_set(err, 0, "%s: needs a location or a prefix", path);
    for (size_t i = 0; mirrors && i < json_object_array_length(mirrors); i++) {
        rl_autofree char *mp = xasprintf("%s.mirror[%zu]", path, i);
        json_object *m = json_object_array_get_idx(mirrors, i);
        if (rl_json_expect(m, mp, json_type_object, err) < 0 ||
            rl_json_str(m, mp, "location", true, &s, err) < 0 ||
            rl_json_bool(m, mp, "insecure", &b, err) < 0)
            return -1;
    }
    return 0;
}

static int merge(rl_registries_t *r, json_object *j, rl_error_t *err)
{
    rl_autostrv char **search = NULL;
    json_object *regs = NULL, *aliases = NULL, *v1 = NULL;
    if (rl_json_strv(j, "", "unqualified-search-registries", false, &search, err) < 0 ||
        rl_json_get(j, "", "registry", json_type_array, false, &regs, err) < 0 ||
        rl_json_get(j, "", "aliases", json_type_object, false, &aliases, err) < 0 ||
        rl_json_get(j, "", "registries", json_type_object, false, &v1, err) < 0)
        return -1;
    if (search) rl_strv_free(r->search), r->search = rl_steal_ptr(&search);
    for (size_t i = 0; regs && i < json_object_array_length(regs); i++) {
        rl_autofree char *path = rl_json_path_idx("registry", i);
        json_object *reg = json_object_array_get_idx(regs, i);
        if (check_registry(reg, path, err) < 0) return -1;
        json_object_array_add(r->regs, json_object_get(reg));
    }
    if (aliases) {
        json_object_object_foreach(aliases, k, v)
        {
            if (!json_object_is_type(v, json_type_string))
                return rl_error_set(err, 0, "aliases.%s: expected a string", k);
            json_object_object_add(r->aliases, k, json_object_get(v));
        }
    }
    return v1 ? parse_v1(r, v1, err) : 0;
}

int rl_registries_parse(rl_registries_t *r, const char *text, size_t len, const char *name,
                        rl_error_t *err)
{
    ensure(r);
    rl_autojson json_object *j = rl_toml_parse(text, len, name, err);
    if (!j) return -1;
    if (merge(r, j, err) < 0) return rl_error_wrap(err, "%s", name);
    return 0;
}

static int load_file(rl_registries_t *r, const char *path, rl_error_t *err)
{
    rl_autofree char *text = NULL;
    size_t len = 0;
    if (rl_fs_read_file(path, 1 << 20, &text, &len, err) < 0) return -1;
    return rl_registries_parse(r, text, len, path, err);
}

static int load_one(const char *path, void *ctx, rl_error_t *err)
{
    return load_file(ctx, path, err);
}

static int load_all(rl_registries_t *r, rl_error_t *err)
{
    const char *env = getenv("CONTAINERS_REGISTRIES_CONF");
    rl_autofree char *user = rl_user_config_path("containers/registries.conf");
    rl_autofree char *user_d = rl_user_config_path("containers/registries.conf.d");
    const char *main = env && *env          ? env
                       : rl_fs_exists(user) ? user
                                            : "/etc/containers/registries.conf";
    bool any = rl_fs_exists(main);
    if (any && load_file(r, main, err) < 0) return -1;
    if (!env &&
        (rl_fs_each_dropin("/etc/containers/registries.conf.d", ".conf", load_one, r, err) < 0 ||
         rl_fs_each_dropin(user_d, ".conf", load_one, r, err) < 0))
        return -1;
    /* No configuration at all: behave like docker (short names from Docker Hub). */
    if (!any && !r->search) rl_strv_push(&r->search, xstrdup("docker.io"));
    return 0;
}

int rl_registries_load(rl_registries_t *r, rl_error_t *err)
{
    memset(r, 0, sizeof *r);
    ensure(r);
    if (load_all(r, err) == 0) return 0;
    rl_registries_clear(r);
    return -1;
}

static const char *str(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static bool flag(json_object *o, const char *k)
{
    json_object *v;
    return o && json_object_object_get_ex(o, k, &v) && json_object_get_boolean(v);
}

static char *with_suffix(const rl_ref_t *user, const char *repo)
{
    return xasprintf("%s%s%s%s%s", repo, user->tag ? ":" : "", user->tag ? user->tag : "",
                     user->digest ? "@" : "", user->digest ? user->digest : "");
}

int rl_registries_candidates(const rl_registries_t *r, const char *image, char ***names,
                             rl_error_t *err)
{
    rl_ref_t ref;
    *names = NULL;
    if (rl_ref_parse(image, &ref, err) < 0) return -1;
    if (!rl_ref_is_short(&ref)) {
        rl_ref_normalize(&ref);
        rl_strv_push(names, rl_ref_string(&ref));
        rl_ref_free(&ref);
        return 0;
    }
    const char *alias = str(r->aliases, ref.path);
    if (alias) {
        rl_ref_t a;
        if (rl_ref_parse(alias, &a, err) < 0)
            return rl_ref_free(&ref), rl_error_wrap(err, "alias '%s'", ref.path);
        rl_autofree char *repo = rl_ref_repo(&a);
        if (!ref.tag && !ref.digest) ref.tag = a.tag ? xstrdup(a.tag) : xstrdup("latest");
        rl_strv_push(names, with_suffix(&ref, repo));
        rl_ref_free(&a);
    }
    for (size_t i = 0; !alias && r->search && r->search[i]; i++) {
        rl_ref_t c = {.domain = xstrdup(r->search[i]),
                      .path = xstrdup(ref.path),
                      .tag = ref.tag ? xstrdup(ref.tag) : NULL,
                      .digest = ref.digest ? xstrdup(ref.digest) : NULL};
        rl_ref_normalize(&c);
        rl_strv_push(names, rl_ref_string(&c));
        rl_ref_free(&c);
    }
    rl_ref_free(&ref);
    if (!*names)
        return rl_error_set(
            err, 0,
            "short name '%s' did not resolve to an alias and no "
            "unqualified-search-registries are defined in registries.conf: give a full name",
            image);
    return 0;
}

/* Does name ("host/a/b") fall under prefix at a path boundary? */
static size_t prefix_match(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n)) return 0;
    return (name[n] == 0 || name[n] == '/' || name[n] == ':' || name[n] == '@') ? n : 0;
}

static void push_ep(rl_endpoint_t **eps, size_t *n, const char *loc, const char *rest,
                    bool insecure)
{
    *eps = xrealloc(*eps, (*n + 1) * sizeof **eps);
    rl_autofree char *full = xasprintf("%s%s", loc, rest);
    char *slash = strchr(full, '/');
    (*eps)[*n] =
        (rl_endpoint_t){.host = slash ? xstrndup(full, (size_t)(slash - full)) : xstrdup(full),
                        .repo = xstrdup(slash ? slash + 1 : ""),
                        .insecure = insecure};
    (*n)++;
}

int rl_registries_endpoints(const rl_registries_t *r, const char *repo, rl_endpoint_t **eps,
                            size_t *n, rl_error_t *err)
{
    *eps = NULL, *n = 0;
    json_object *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; r->regs && i < json_object_array_length(r->regs); i++) {
        json_object *reg = json_object_array_get_idx(r->regs, i);
        const char *prefix = str(reg, "prefix") ? str(reg, "prefix") : str(reg, "location");
        size_t m = prefix_match(repo, prefix);
        if (m > best_len || (m && m == best_len)) best = reg, best_len = m;
    }
    if (best && flag(best, "blocked"))
        return rl_error_set(err, 0, "registry for '%s' is blocked in registries.conf", repo);
    const char *rest = repo + best_len;
    json_object *mirrors = NULL;
    if (best && json_object_object_get_ex(best, "mirror", &mirrors))
        for (size_t i = 0; i < json_object_array_length(mirrors); i++) {
            json_object *m = json_object_array_get_idx(mirrors, i);
            push_ep(eps, n, str(m, "location"), rest, flag(m, "insecure"));
        }
    const char *loc =
        best ? (str(best, "location") ? str(best, "location") : str(best, "prefix")) : NULL;
    if (loc)
        push_ep(eps, n, loc, rest, flag(best, "insecure"));
    else
        push_ep(eps, n, repo, "", false);
    return 0;
}

void rl_endpoints_free(rl_endpoint_t *eps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(eps[i].host), free(eps[i].repo);
    free(eps);
}
