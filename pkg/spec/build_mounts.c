/* SPDX-License-Identifier: Apache-2.0 */
/* -v, --mount and --tmpfs as OCI mounts (see build.h). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"

static void add_mount(json_object *mounts, const char *dst, const char *type, const char *src,
                      char **opts)
{
    json_object *m = json_object_new_object();
    json_object_object_add(m, "destination", json_object_new_string(dst));
    json_object_object_add(m, "type", json_object_new_string(type));
    json_object_object_add(m, "source", json_object_new_string(src));
    json_object_object_add(m, "options", rl_json_new_strv((const char *const *)opts));
    json_object_array_add(mounts, m);
}

static int check_dest(const char *what, const char *dst, rl_error_t *err)
{
    if (dst[0] != '/')
        return rl_error_set(err, 0, "%s: destination '%s' must be an absolute path", what, dst);
    return 0;
}

static int check_source(const char *what, const char *src, rl_error_t *err)
{
    struct stat st;
    if (src[0] != '/')
        return rl_error_set(err, 0,
                            "%s: source '%s' is not an absolute path (named volumes are not "
                            "supported yet)",
                            what, src);
    if (stat(src, &st) < 0) return rl_error_set(err, errno, "%s: source '%s'", what, src);
    return 0;
}

/* -v SRC:DST[:OPTS] */
static int add_volume(json_object *mounts, const char *spec, rl_error_t *err)
{
    rl_autofree char *copy = xstrdup(spec);
    char *dst = strchr(copy, ':');
    if (!dst || !*(dst + 1))
        return rl_error_set(err, 0, "-v '%s': expected SOURCE:DESTINATION[:OPTIONS]", spec);
    *dst++ = 0;
    char *opts = strchr(dst, ':');
    if (opts) *opts++ = 0;
    rl_autostrv char **o = NULL;
    rl_strv_push(&o, xstrdup("rbind"));
    for (char *save = NULL, *t = opts ? strtok_r(opts, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "ro") || !strcmp(t, "rw") || !strcmp(t, "nosuid") || !strcmp(t, "nodev") ||
            !strcmp(t, "noexec") || !strcmp(t, "suid") || !strcmp(t, "dev") || !strcmp(t, "exec"))
            rl_strv_push(&o, xstrdup(t));
        else if (!strcmp(t, "z") || !strcmp(t, "Z") || !strcmp(t, "U"))
            continue; /* SELinux relabel / chown: nothing to do here */
        else
            return rl_error_set(err, 0, "-v '%s': unknown option '%s' (use ro, rw, z)", spec, t);
    }
    if (check_source("-v", copy, err) < 0 || check_dest("-v", dst, err) < 0) return -1;
    add_mount(mounts, dst, "bind", copy, o);
    return 0;
}

/* As podman: a tmpfs starts with the image's content at its destination
 * (tmpcopyup) unless the options say notmpcopyup. */
static void add_copyup(char ***opts)
{
    for (size_t i = 0; *opts && (*opts)[i]; i++)
        if (!strcmp((*opts)[i], "notmpcopyup") || !strcmp((*opts)[i], "tmpcopyup")) return;
    rl_strv_push(opts, xstrdup("tmpcopyup"));
}

/* --tmpfs DST[:OPTS] */
static int add_tmpfs(json_object *mounts, const char *spec, rl_error_t *err)
{
    rl_autofree char *copy = xstrdup(spec);
    char *opts = strchr(copy, ':');
    if (opts) *opts++ = 0;
    if (check_dest("--tmpfs", copy, err) < 0) return -1;
    rl_autostrv char **o = NULL;
    const char *def = opts && *opts ? opts : "rw,noexec,nosuid,nodev";
    rl_autofree char *d = xstrdup(def);
    for (char *save = NULL, *t = strtok_r(d, ",", &save); t; t = strtok_r(NULL, ",", &save))
        rl_strv_push(&o, xstrdup(t));
    add_copyup(&o);
    add_mount(mounts, copy, "tmpfs", "tmpfs", o);
    return 0;
}

typedef struct mount_kv {
    char *type, *src, *dst;
    char **opts;
} mount_kv_t;

static int mount_key(mount_kv_t *m, const char *spec, char *k, char *v, rl_error_t *err)
{
    if (!strcmp(k, "type"))
        m->type = xstrdup(v ? v : "");
    else if (!strcmp(k, "source") || !strcmp(k, "src"))
        m->src = xstrdup(v ? v : "");
    else if (!strcmp(k, "target") || !strcmp(k, "destination") || !strcmp(k, "dst"))
        m->dst = xstrdup(v ? v : "");
    else if (!strcmp(k, "readonly") || !strcmp(k, "ro"))
        rl_strv_push(&m->opts, xstrdup(!v || !strcmp(v, "true") ? "ro" : "rw"));
    else if (!strcmp(k, "tmpfs-size") && v)
        rl_strv_push(&m->opts, xasprintf("size=%s", v));
    else if (!strcmp(k, "tmpfs-mode") && v)
        rl_strv_push(&m->opts, xasprintf("mode=%s", v));
    else if ((!strcmp(k, "tmpcopyup") || !strcmp(k, "notmpcopyup")) && !v)
        rl_strv_push(&m->opts, xstrdup(k));
    else if (!strcmp(k, "bind-propagation") && v)
        rl_strv_push(&m->opts, xstrdup(v));
    else if (!strcmp(k, "relabel") || !strcmp(k, "z") || !strcmp(k, "Z"))
        return 0;
    else
        return rl_error_set(err, 0, "--mount '%s': unknown option '%s'", spec, k);
    return 0;
}

/* --mount type=bind|tmpfs,source=,target=,readonly,... */
static int add_mount_opt(json_object *mounts, const char *spec, rl_error_t *err)
{
    mount_kv_t m = {0};
    rl_autofree char *copy = xstrdup(spec);
    int r = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && r == 0;
         t = strtok_r(NULL, ",", &save)) {
        char *v = strchr(t, '=');
        if (v) *v++ = 0;
        r = mount_key(&m, spec, t, v, err);
    }
    if (r == 0 && (!m.type || (strcmp(m.type, "bind") && strcmp(m.type, "tmpfs"))))
        r = rl_error_set(err, 0, "--mount '%s': type must be bind or tmpfs", spec);
    if (r == 0 && !m.dst) r = rl_error_set(err, 0, "--mount '%s': target= is required", spec);
    if (r == 0) r = check_dest("--mount", m.dst, err);
    if (r == 0 && !strcmp(m.type, "bind")) {
        if (!m.src)
            r = rl_error_set(err, 0, "--mount '%s': source= is required", spec);
        else
            r = check_source("--mount", m.src, err);
        if (r == 0) rl_strv_push(&m.opts, xstrdup("rbind"));
    } else if (r == 0) {
        add_copyup(&m.opts);
    }
    if (r == 0) add_mount(mounts, m.dst, m.type, !strcmp(m.type, "bind") ? m.src : "tmpfs", m.opts);
    free(m.type), free(m.src), free(m.dst), rl_strv_free(m.opts);
    return r;
}

int rl_spec_add_user_mounts(json_object *mounts, const rl_spec_run_opts_t *o, rl_error_t *err)
{
    for (size_t i = 0; o->volumes && o->volumes[i]; i++)
        if (add_volume(mounts, o->volumes[i], err) < 0) return -1;
    for (size_t i = 0; o->mounts && o->mounts[i]; i++)
        if (add_mount_opt(mounts, o->mounts[i], err) < 0) return -1;
    for (size_t i = 0; o->tmpfs && o->tmpfs[i]; i++)
        if (add_tmpfs(mounts, o->tmpfs[i], err) < 0) return -1;
    return 0;
}
