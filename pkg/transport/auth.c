/* SPDX-License-Identifier: Apache-2.0 */
/* auth.json lookup (see auth.h). */
#include "auth.h"

#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"

static const char *entry(json_object *auths, const char *key)
{
    json_object *e, *a;
    if (!json_object_object_get_ex(auths, key, &e) || !json_object_is_type(e, json_type_object) ||
        !json_object_object_get_ex(e, "auth", &a) || !json_object_is_type(a, json_type_string))
        return NULL;
    return json_object_get_string(a);
}

int rl_auth_lookup_text(const char *text, size_t len, const char *name, const char *repo,
                        char **basic, rl_error_t *err)
{
    *basic = NULL;
    rl_autojson json_object *j = rl_json_parse(text, len, name, err);
    json_object *auths = NULL;
    if (!j) return -1;
    if (!json_object_is_type(j, json_type_object) ||
        rl_json_get(j, "", "auths", json_type_object, false, &auths, err) < 0)
        return rl_error_set(err, 0, "%s: expected {\"auths\": {...}}", name);
    if (!auths) return 0;
    /* "host/a/b", then "host/a", then "host"; docker.io also by its old key. */
    rl_autofree char *key = xstrdup(repo);
    for (;;) {
        const char *a = entry(auths, key);
        if (!a) {
            rl_autofree char *https = xasprintf("https://%s", key);
            a = entry(auths, https);
        }
        if (a) return *basic = xstrdup(a), 0;
        char *slash = strrchr(key, '/');
        if (!slash) break;
        *slash = 0;
    }
    if (!strcmp(key, "docker.io")) {
        const char *a = entry(auths, "https://index.docker.io/v1/");
        if (a) *basic = xstrdup(a);
    }
    return 0;
}

int rl_auth_lookup(const char *repo, char **basic, rl_error_t *err)
{
    *basic = NULL;
    const char *home = getenv("HOME"), *run = getenv("XDG_RUNTIME_DIR"),
               *env = getenv("REGISTRY_AUTH_FILE");
    rl_autofree char *f1 = run && *run ? xasprintf("%s/containers/auth.json", run) : NULL;
    rl_autofree char *f2 = xasprintf("%s/.config/containers/auth.json", home ? home : "/");
    rl_autofree char *f3 = xasprintf("%s/.docker/config.json", home ? home : "/");
    const char *files[] = {env && *env ? env : NULL, f1, f2, f3};
    for (size_t i = 0; i < 4; i++) {
        if (!files[i] || !rl_fs_exists(files[i])) continue;
        rl_autofree char *text = NULL;
        size_t len = 0;
        if (rl_fs_read_file(files[i], 1 << 20, &text, &len, err) < 0 ||
            rl_auth_lookup_text(text, len, files[i], repo, basic, err) < 0)
            return -1;
        if (*basic) return 0;
    }
    return 0;
}
