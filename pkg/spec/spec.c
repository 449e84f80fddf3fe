/* SPDX-License-Identifier: Apache-2.0 */
/* config.json → rl_spec_t. Every error names the JSON path that is wrong. */
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

#define CONFIG_MAX (16 << 20)

static int parse_root(rl_spec_t *s, rl_error_t *err)
{
    json_object *root;
    const char *path;
    if (rl_json_get(s->json, "", "root", json_type_object, true, &root, err) < 0 ||
        rl_json_str(root, "root", "path", true, &path, err) < 0 ||
        rl_json_bool(root, "root", "readonly", &s->root_readonly, err) < 0)
        return -1;
    if (!*path) return rl_error_set(err, 0, "root.path: must not be empty");
    s->root_path = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", s->bundle, path);
    struct stat st;
    if (stat(s->root_path, &st) < 0)
        return rl_error_set(err, errno, "root.path: rootfs '%s'", s->root_path);
    if (!S_ISDIR(st.st_mode))
        return rl_error_set(err, 0, "root.path: rootfs '%s' is not a directory", s->root_path);
    return 0;
}

static int parse_mounts(rl_spec_t *s, rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(s->json, "", "mounts", json_type_array, false, &arr, err);
    if (r <= 0) return r;
    size_t n = json_object_array_length(arr);
    s->mounts = xcalloc(n + 1, sizeof *s->mounts);
    for (size_t i = 0; i < n; i++) {
        s->n_mounts = i + 1; /* counted first, so a failure below still frees it */
        json_object *e = json_object_array_get_idx(arr, i);
        rl_autofree char *p = rl_json_path_idx("mounts", i);
        rl_spec_mount_t *m = &s->mounts[i];
        const char *dst, *type = NULL, *src = NULL;
        if (rl_json_expect(e, p, json_type_object, err) < 0 ||
            rl_json_str(e, p, "destination", true, &dst, err) < 0 ||
            rl_json_str(e, p, "type", false, &type, err) < 0 ||
            rl_json_str(e, p, "source", false, &src, err) < 0 ||
            rl_json_strv(e, p, "options", false, &m->options, err) < 0)
            return -1;
        if (!*dst) return rl_error_set(err, 0, "%s.destination: must not be empty", p);
        /* runc accepts relative destinations as relative to the rootfs */
        m->destination = dst[0] == '/' ? xstrdup(dst) : xasprintf("/%s", dst);
        m->type = type && *type ? xstrdup(type) : NULL;
        m->source = src ? xstrdup(src) : NULL;
        if (!m->options) m->options = xcalloc(1, sizeof *m->options);
    }
    return 0;
}

static int parse_namespaces(rl_spec_t *s, json_object *lx, rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(lx, "linux", "namespaces", json_type_array, false, &arr, err);
    if (r <= 0) return r;
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        rl_autofree char *p = rl_json_path_idx("linux.namespaces", i);
        const char *type, *path = NULL;
        if (rl_json_expect(e, p, json_type_object, err) < 0 ||
            rl_json_str(e, p, "type", true, &type, err) < 0 ||
            rl_json_str(e, p, "path", false, &path, err) < 0)
            return -1;
        int t;
        for (t = 0; t < RL_NS_COUNT; t++)
            if (!strcmp(type, rl_spec_ns_name(t))) break;
        if (t == RL_NS_COUNT)
            return rl_error_set(err, 0, "%s.type: unknown namespace '%s'", p, type);
        if (s->ns[t].wanted)
            return rl_error_set(err, 0, "%s.type: namespace '%s' listed twice", p, type);
        if (path && path[0] != '/')
            return rl_error_set(err, 0, "%s.path: '%s' is not an absolute path", p, path);
        s->ns[t].wanted = true;
        s->ns[t].path = path && *path ? xstrdup(path) : NULL;
    }
    return 0;
}

static int parse_idmaps(json_object *lx, const char *key, rl_idmap_t **maps, size_t *n,
                        rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(lx, "linux", key, json_type_array, false, &arr, err);
    if (r <= 0) return r;
    rl_autofree char *ap = rl_json_path_key("linux", key);
    size_t len = json_object_array_length(arr);
    if (len > RL_IDMAP_MAX)
        return rl_error_set(err, 0, "%s: more than %d ranges", ap, RL_IDMAP_MAX);
    *maps = xcalloc(len + 1, sizeof **maps);
    for (size_t i = 0; i < len; i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        rl_autofree char *p = rl_json_path_idx(ap, i);
        int64_t c = -1, h = -1, sz = -1;
        if (rl_json_expect(e, p, json_type_object, err) < 0 ||
            rl_json_i64(e, p, "containerID", 0, UINT32_MAX, &c, err) < 0 ||
            rl_json_i64(e, p, "hostID", 0, UINT32_MAX, &h, err) < 0 ||
            rl_json_i64(e, p, "size", 1, UINT32_MAX, &sz, err) < 0)
            return -1;
        if (c < 0 || h < 0 || sz < 0)
            return rl_error_set(err, 0, "%s: containerID, hostID and size are required", p);
        (*maps)[i] = (rl_idmap_t){(uint32_t)c, (uint32_t)h, (uint32_t)sz};
        (*n)++;
    }
    return rl_idmap_validate(*maps, *n, ap, err);
}

static int parse_device(json_object *e, const char *p, rl_spec_device_t *d, rl_error_t *err)
{
    const char *path, *type;
    int64_t v;
    if (rl_json_expect(e, p, json_type_object, err) < 0 ||
        rl_json_str(e, p, "path", true, &path, err) < 0 ||
        rl_json_str(e, p, "type", true, &type, err) < 0)
        return -1;
    if (path[0] != '/') return rl_error_set(err, 0, "%s.path: '%s' is not absolute", p, path);
    if (strlen(type) != 1 || !strchr("cbup", type[0]))
        return rl_error_set(err, 0, "%s.type: '%s' is not one of c, b, u, p", p, type);
    d->path = xstrdup(path);
    d->type = type[0];
    if (rl_json_i64(e, p, "major", 0, UINT32_MAX, &d->major, err) < 0 ||
        rl_json_i64(e, p, "minor", 0, UINT32_MAX, &d->minor, err) < 0)
        return -1;
    int r;
    if ((r = rl_json_i64(e, p, "fileMode", 0, 07777, &v, err)) < 0) return -1;
    d->has_mode = r > 0, d->mode = (uint32_t)v;
    if ((r = rl_json_i64(e, p, "uid", 0, UINT32_MAX, &v, err)) < 0) return -1;
    d->has_uid = r > 0, d->uid = (uint32_t)v;
    if ((r = rl_json_i64(e, p, "gid", 0, UINT32_MAX, &v, err)) < 0) return -1;
    d->has_gid = r > 0, d->gid = (uint32_t)v;
    return 0;
}

static int parse_devices(rl_spec_t *s, json_object *lx, rl_error_t *err)
{
    json_object *arr;
    int r = rl_json_get(lx, "linux", "devices", json_type_array, false, &arr, err);
    if (r <= 0) return r;
    size_t n = json_object_array_length(arr);
    s->devices = xcalloc(n + 1, sizeof *s->devices);
    for (size_t i = 0; i < n; i++) {
        s->n_devices = i + 1;
        rl_autofree char *p = rl_json_path_idx("linux.devices", i);
        if (parse_device(json_object_array_get_idx(arr, i), p, &s->devices[i], err) < 0) return -1;
    }
    return 0;
}

static int parse_time_offsets(rl_spec_t *s, json_object *lx, rl_error_t *err)
{
    static const char *const clocks[2] = {"monotonic", "boottime"};
    json_object *t;
    int r = rl_json_get(lx, "linux", "timeOffsets", json_type_object, false, &t, err);
    if (r <= 0) return r;
    s->has_time_offsets = true;
    for (int c = 0; c < 2; c++) {
        json_object *o;
        rl_autofree char *p = xasprintf("linux.timeOffsets.%s", clocks[c]);
        if ((r = rl_json_get(t, "linux.timeOffsets", clocks[c], json_type_object, false, &o, err)) <
            0)
            return -1;
        if (r == 0) continue;
        if (rl_json_i64(o, p, "secs", INT32_MIN, INT32_MAX, &s->time_offsets[c][0], err) < 0 ||
            rl_json_i64(o, p, "nanosecs", 0, 999999999, &s->time_offsets[c][1], err) < 0)
            return -1;
    }
    return 0;
}

static int check_string_map(json_object *obj, const char *path, rl_error_t *err)
{
    json_object_object_foreach(obj, key, val)
    {
        if (json_object_get_type(val) != json_type_string)
            return rl_error_set(err, 0, "%s.%s: expected a string", path, key);
    }
    return 0;
}

static int parse_linux(rl_spec_t *s, rl_error_t *err)
{
    json_object *lx = NULL;
    const char *prop = NULL, *cg = NULL;
    int r = rl_json_get(s->json, "", "linux", json_type_object, false, &lx, err);
    if (r < 0) return -1;
    if (parse_namespaces(s, lx, err) < 0 ||
        parse_idmaps(lx, "uidMappings", &s->uid_maps, &s->n_uid_maps, err) < 0 ||
        parse_idmaps(lx, "gidMappings", &s->gid_maps, &s->n_gid_maps, err) < 0 ||
        parse_devices(s, lx, err) < 0 || parse_time_offsets(s, lx, err) < 0 ||
        rl_json_strv(lx, "linux", "maskedPaths", false, &s->masked_paths, err) < 0 ||
        rl_json_strv(lx, "linux", "readonlyPaths", false, &s->readonly_paths, err) < 0 ||
        rl_json_str(lx, "linux", "rootfsPropagation", false, &prop, err) < 0 ||
        rl_json_str(lx, "linux", "cgroupsPath", false, &cg, err) < 0 ||
        rl_json_get(lx, "linux", "sysctl", json_type_object, false, &s->sysctl, err) < 0 ||
        rl_json_get(lx, "linux", "seccomp", json_type_object, false, &s->seccomp, err) < 0 ||
        rl_json_get(lx, "linux", "resources", json_type_object, false, &s->resources, err) < 0)
        return -1;
    if (s->sysctl && check_string_map(s->sysctl, "linux.sysctl", err) < 0) return -1;
    if ((s->n_uid_maps || s->n_gid_maps) && !s->ns[RL_NS_USER].wanted)
        return rl_error_set(err, 0, "linux.uidMappings: id mappings need a user namespace");
    /* a new user namespace without mappings gets crun's default when the
     * runtime creates it (rl_spec_fill_idmaps), not here: parsing is pure */
    if (s->has_time_offsets && !s->ns[RL_NS_TIME].wanted)
        return rl_error_set(err, 0, "linux.timeOffsets: time offsets need a time namespace");
    s->rootfs_propagation = xstrdup(prop && *prop ? prop : "rslave");
    s->cgroups_path = cg && *cg ? xstrdup(cg) : NULL;
    if (!s->masked_paths) s->masked_paths = xcalloc(1, sizeof(char *));
    if (!s->readonly_paths) s->readonly_paths = xcalloc(1, sizeof(char *));
    return 0;
}

static int check_hostname(const char *key, const char *v, rl_error_t *err)
{
    if (strlen(v) > 64)
        return rl_error_set(err, 0, "%s: '%.20s...' is longer than 64 bytes", key, v);
    return 0;
}

rl_spec_t *rl_spec_parse(json_object *json, const char *bundle, rl_error_t *err)
{
    rl_spec_t *s = xcalloc(1, sizeof *s);
    s->json = json_object_get(json);
    s->bundle = xstrdup(bundle);
    const char *ver = NULL, *host = NULL, *dom = NULL;
    json_object *proc, *hooks = NULL;
    int hp;
    if (rl_json_expect(json, "config", json_type_object, err) < 0 ||
        rl_json_str(json, "", "ociVersion", true, &ver, err) < 0 ||
        rl_json_str(json, "", "hostname", false, &host, err) < 0 ||
        rl_json_str(json, "", "domainname", false, &dom, err) < 0 ||
        (host && check_hostname("hostname", host, err) < 0) ||
        (dom && check_hostname("domainname", dom, err) < 0) || parse_root(s, err) < 0 ||
        (hp = rl_json_get(json, "", "process", json_type_object, false, &proc, err)) < 0 ||
        (hp > 0 && rl_spec_process_parse(proc, "process", &s->process, err) < 0) ||
        parse_mounts(s, err) < 0 || parse_linux(s, err) < 0 ||
        rl_json_get(json, "", "annotations", json_type_object, false, &s->annotations, err) < 0 ||
        (s->annotations && check_string_map(s->annotations, "annotations", err) < 0) ||
        rl_json_get(json, "", "hooks", json_type_object, false, &hooks, err) < 0 ||
        rl_spec_hooks_parse(hooks, &s->hooks, err) < 0) {
        rl_spec_free(s);
        return NULL;
    }
    s->has_process = hp > 0;
    s->oci_version = xstrdup(ver);
    s->hostname = host ? xstrdup(host) : NULL;
    s->domainname = dom ? xstrdup(dom) : NULL;
    return s;
}

rl_spec_t *rl_spec_load(const char *bundle, rl_error_t *err)
{
    char abs[PATH_MAX];
    if (!realpath(bundle, abs)) {
        rl_error_set(err, errno, "bundle '%s'", bundle);
        return NULL;
    }
    rl_autofree char *path = xasprintf("%s/config.json", abs);
    rl_autofree char *text = NULL;
    size_t len = 0;
    rl_autojson json_object *json = rl_json_parse_file_text(path, CONFIG_MAX, &text, &len, err);
    if (!json) return NULL;
    rl_spec_t *s = rl_spec_parse(json, abs, err);
    if (!s) {
        rl_error_wrap(err, "config.json");
        return NULL;
    }
    s->text = rl_steal_ptr(&text);
    s->text_len = len;
    return s;
}

const char *rl_spec_annotation(const rl_spec_t *s, const char *key)
{
    json_object *v = NULL;
    return s->annotations && json_object_object_get_ex(s->annotations, key, &v)
               ? json_object_get_string(v)
               : NULL;
}

json_object *rl_spec_annotations_json(const rl_spec_t *s)
{
    json_object *o = json_object_new_object();
    if (!s->annotations) return o;
    json_object_object_foreach(s->annotations, key, val)
        json_object_object_add(o, key, json_object_get(val));
    return o;
}

rl_spec_t *rl_spec_load_file(const char *path, const char *bundle, rl_error_t *err)
{
    rl_autojson json_object *json = rl_json_parse_file(path, CONFIG_MAX, err);
    return json ? rl_spec_parse(json, bundle, err) : NULL;
}

void rl_spec_free(rl_spec_t *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_mounts; i++) {
        free(s->mounts[i].destination);
        free(s->mounts[i].type);
        free(s->mounts[i].source);
        rl_strv_free(s->mounts[i].options);
    }
    free(s->mounts);
    for (size_t i = 0; i < s->n_devices; i++)
        free(s->devices[i].path);
    free(s->devices);
    for (int i = 0; i < RL_NS_COUNT; i++)
        free(s->ns[i].path);
    rl_spec_process_clear(&s->process);
    rl_spec_hooks_clear(&s->hooks);
    free(s->uid_maps);
    free(s->gid_maps);
    rl_strv_free(s->masked_paths);
    rl_strv_free(s->readonly_paths);
    free(s->rootfs_propagation);
    free(s->cgroups_path);
    free(s->oci_version);
    free(s->bundle);
    free(s->root_path);
    free(s->hostname);
    free(s->domainname);
    json_object_put(s->json);
    free(s->text);
    free(s);
}
