/* SPDX-License-Identifier: Apache-2.0 */
/* An exec's process (see exec.h): edits of a copy of the spec's process
 * object, then the one process parser. */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"

#define PROCESS_MAX (1 << 20)

/* obj[key] when it is an object or array, else a new empty one put there */
static json_object *member(json_object *obj, const char *key, json_type type)
{
    json_object *m = NULL;
    if (json_object_object_get_ex(obj, key, &m) && m && json_object_is_type(m, type)) return m;
    m = type == json_type_array ? json_object_new_array() : json_object_new_object();
    json_object_object_add(obj, key, m);
    return m;
}

static int set_user(const char *s, json_object *proc, rl_error_t *err)
{
    unsigned uid, gid = 0;
    char extra;
    int n = sscanf(s, "%u:%u%c", &uid, &gid, &extra);
    if (n < 1 || n > 2 || strspn(s, "0123456789:") != strlen(s))
        return rl_error_setk(err, RL_ERR_INVALID, 0, "--user '%s': expected UID[:GID] as numbers",
                             s);
    json_object *u = json_object_new_object();
    json_object_object_add(u, "uid", json_object_new_int64(uid));
    json_object_object_add(u, "gid", json_object_new_int64(gid));
    json_object *old;
    if (json_object_object_get_ex(proc, "user", &old) && old &&
        json_object_object_get_ex(old, "umask", &old))
        json_object_object_add(u, "umask", json_object_get(old));
    json_object_object_add(proc, "user", u);
    return 0;
}

static void add_caps(json_object *proc, char **caps)
{
    static const char *const sets[] = {"bounding", "effective", "permitted"};
    json_object *c = member(proc, "capabilities", json_type_object);
    for (size_t s = 0; s < 3; s++) {
        json_object *arr = member(c, sets[s], json_type_array);
        for (size_t i = 0; caps[i]; i++)
            json_object_array_add(arr, json_object_new_string(caps[i]));
    }
}

static int edit(json_object *proc, const rl_spec_exec_t *e, rl_error_t *err)
{
    if (e->args && e->args[0])
        json_object_object_add(proc, "args", rl_json_new_strv((const char *const *)e->args));
    json_object_object_add(proc, "terminal", json_object_new_boolean(e->tty));
    for (size_t i = 0; e->env && e->env[i]; i++)
        json_object_array_add(member(proc, "env", json_type_array),
                              json_object_new_string(e->env[i]));
    if (e->cwd) json_object_object_add(proc, "cwd", json_object_new_string(e->cwd));
    if (e->no_new_privs)
        json_object_object_add(proc, "noNewPrivileges", json_object_new_boolean(1));
    if (e->caps && e->caps[0]) add_caps(proc, e->caps);
    if (e->user && set_user(e->user, proc, err) < 0) return -1;
    if (e->gids && e->gids[0]) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; e->gids[i]; i++)
            json_object_array_add(a, json_object_new_int64(atoll(e->gids[i])));
        json_object_object_add(member(proc, "user", json_type_object), "additionalGids", a);
    }
    return 0;
}

int rl_spec_exec_process(const rl_spec_t *spec, const rl_spec_exec_t *e, rl_spec_process_t *out,
                         rl_error_t *err)
{
    rl_autojson json_object *proc = NULL;
    if (e->process_file) {
        if (!(proc = rl_json_parse_file(e->process_file, PROCESS_MAX, err))) return -1;
        if (e->tty_set && json_object_is_type(proc, json_type_object))
            json_object_object_add(proc, "terminal", json_object_new_boolean(e->tty));
    } else {
        json_object *base = NULL;
        if (!json_object_object_get_ex(spec->json, "process", &base) || !base)
            return rl_error_setk(err, RL_ERR_INVALID, 0,
                                 "the container has no process in its spec");
        json_object_deep_copy(base, &proc, NULL);
        if (edit(proc, e, err) < 0) return -1;
    }
    if (rl_json_expect(proc, "process", json_type_object, err) < 0 ||
        rl_spec_process_parse(proc, "process", out, err) < 0)
        return e->process_file ? rl_error_wrap(err, "%s", e->process_file) : -1;
    return 0;
}
