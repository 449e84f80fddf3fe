/* SPDX-License-Identifier: Apache-2.0 */
/* Spec edits (see edit.h). */
#include "edit.h"

#include <stdio.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"

#define SPEC_MAX (16 << 20)

/* obj[key], made an empty array when missing */
static json_object *array_of(json_object *obj, const char *key)
{
    json_object *a = NULL;
    if (!json_object_object_get_ex(obj, key, &a) || !json_object_is_type(a, json_type_array))
        json_object_object_add(obj, key, a = json_object_new_array());
    return a;
}

/* obj[key], made an empty object when missing */
static json_object *object_of(json_object *obj, const char *key)
{
    json_object *o = NULL;
    if (!json_object_object_get_ex(obj, key, &o) || !json_object_is_type(o, json_type_object))
        json_object_object_add(obj, key, o = json_object_new_object());
    return o;
}

void rl_spec_add_bind(json_object *spec, const char *src, const char *dst, bool ro)
{
    json_object *m = json_object_new_object();
    json_object_object_add(m, "destination", json_object_new_string(dst));
    json_object_object_add(m, "type", json_object_new_string("bind"));
    json_object_object_add(m, "source", json_object_new_string(src));
    const char *opts[] = {"bind", ro ? "ro" : "rw", NULL};
    json_object_object_add(m, "options", rl_json_new_strv(opts));
    json_object_array_add(array_of(spec, "mounts"), m);
}

void rl_spec_prepend_args(json_object *spec, const char *const *front)
{
    json_object *proc = object_of(spec, "process"), *args = NULL;
    json_object_object_get_ex(proc, "args", &args);
    json_object *nargs = rl_json_new_strv(front);
    for (size_t i = 0; args && i < json_object_array_length(args); i++)
        json_object_array_add(nargs, json_object_get(json_object_array_get_idx(args, i)));
    json_object_object_add(proc, "args", nargs);
}

void rl_spec_add_env(json_object *spec, const char *kv)
{
    json_object_array_add(array_of(object_of(spec, "process"), "env"), json_object_new_string(kv));
}

const char *rl_spec_hostname(json_object *spec)
{
    json_object *h = NULL;
    return json_object_object_get_ex(spec, "hostname", &h) && h ? json_object_get_string(h) : NULL;
}

int rl_spec_write(json_object *spec, const char *file, bool durable, rl_error_t *err)
{
    const char *text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PLAIN);
    return rl_fs_write_replace(file, text, strlen(text), 0600, durable, err);
}

/* The namespace entry of type in nss gets path (added when missing). */
static void ns_path(json_object *nss, const char *type, const char *path)
{
    for (size_t i = 0; i < json_object_array_length(nss); i++) {
        json_object *n = json_object_array_get_idx(nss, i), *t = NULL;
        if (json_object_object_get_ex(n, "type", &t) && !strcmp(json_object_get_string(t), type)) {
            json_object_object_add(n, "path", json_object_new_string(path));
            return;
        }
    }
    json_object *n = json_object_new_object();
    json_object_object_add(n, "type", json_object_new_string(type));
    json_object_object_add(n, "path", json_object_new_string(path));
    json_object_array_add(nss, n);
}

int rl_spec_file_join(const char *file, const rl_spec_ns_type_t *types, size_t n, pid_t pid,
                      rl_error_t *err)
{
    rl_autojson json_object *spec = rl_json_parse_file(file, SPEC_MAX, err);
    json_object *lx = NULL, *nss = NULL;
    if (!spec || !json_object_object_get_ex(spec, "linux", &lx) ||
        !json_object_object_get_ex(lx, "namespaces", &nss))
        return err->msg ? -1
                        : rl_error_setk(err, RL_ERR_INVALID, 0, "'%s': no linux.namespaces", file);
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, rl_spec_ns_proc_name(types[i]));
        ns_path(nss, rl_spec_ns_name(types[i]), path);
        if (types[i] == RL_NS_USER) {
            json_object_object_del(lx, "uidMappings");
            json_object_object_del(lx, "gidMappings");
        }
    }
    const char *text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PLAIN);
    return rl_fs_write_atomic(file, text, strlen(text), 0600, err);
}
