/* SPDX-License-Identifier: Apache-2.0 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/util/proc.h"
#include "pkg/util/lock.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"
#include "rootless/rundir.h"

char *rl_state_default_root(rl_error_t *err)
{
    rl_autofree char *base = rl_rundir_base(err);
    if (!base) return NULL;
    char *root = xasprintf("%s/rl/oci", base);
    if (rl_fs_mkdir_p(root, 0700, err) < 0) {
        free(root);
        return NULL;
    }
    return root;
}

int rl_state_validate_id(const char *id, rl_error_t *err)
{
    if (!*id) return rl_error_set(err, 0, "invalid container id: empty");
    if (strlen(id) > 1024)
        return rl_error_set(err, 0, "invalid container id: longer than 1024 characters");
    if (!strcmp(id, ".") || !strcmp(id, ".."))
        return rl_error_set(err, 0, "invalid container id '%s'", id);
    for (const char *p = id; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '+'))
            return rl_error_set(err, 0,
                                "invalid container id '%.64s': only letters, digits and "
                                "'_+-.' are allowed",
                                id);
    }
    return 0;
}

char *rl_state_path(const char *root, const char *id, const char *file)
{
    return file ? xasprintf("%s/%s/%s", root, id, file) : xasprintf("%s/%s", root, id);
}

int rl_state_create_dir(const char *root, const char *id, rl_error_t *err)
{
    if (rl_fs_mkdir_p(root, 0700, err) < 0) return -1;
    rl_autofree char *dir = rl_state_path(root, id, NULL);
    if (mkdir(dir, 0700) == 0) return 0;
    if (errno == EEXIST) return rl_error_set(err, 0, "container '%s' already exists", id);
    return rl_error_set(err, errno, "mkdir '%s'", dir);
}

static void add_str(json_object *o, const char *k, const char *v)
{
    if (v) json_object_object_add(o, k, json_object_new_string(v));
}

int rl_state_save(const char *root, const rl_state_t *st, rl_error_t *err)
{
    rl_autojson json_object *o = json_object_new_object();
    add_str(o, "id", st->id);
    add_str(o, "bundle", st->bundle);
    add_str(o, "rootfs", st->rootfs);
    add_str(o, "ociVersion", st->oci_version);
    add_str(o, "created", st->created);
    add_str(o, "owner", st->owner);
    add_str(o, "cgroup", st->cgroup);
    json_object_object_add(o, "pid", json_object_new_int(st->pid));
    json_object_object_add(o, "startTime", json_object_new_uint64(st->start_time));
    char boot[40];
    rl_proc_boot_id(boot);
    if (*boot) json_object_object_add(o, "bootId", json_object_new_string(boot));
    if (st->shared_mntns)
        json_object_object_add(o, "sharedMountNamespace", json_object_new_uint64(st->shared_mntns));
    /* written as "none" so that a state without the field still runs hooks */
    if (st->no_hooks) json_object_object_add(o, "noHooks", json_object_new_boolean(1));
    if (st->annotations) json_object_object_add(o, "annotations", json_object_get(st->annotations));
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    rl_autofree char *path = rl_state_path(root, st->id, "state.json");
    return rl_fs_write_volatile(path, text, strlen(text), 0600, err);
}

static char *dup_str(json_object *o, const char *k)
{
    const char *v = NULL;
    rl_error_t ignored = RL_ERROR_INIT;
    rl_json_str(o, "", k, false, &v, &ignored);
    rl_error_clear(&ignored);
    return v ? xstrdup(v) : NULL;
}

rl_state_t *rl_state_load(const char *root, const char *id, rl_error_t *err)
{
    if (rl_state_validate_id(id, err) < 0) return NULL;
    rl_autofree char *path = rl_state_path(root, id, "state.json");
    if (access(path, F_OK) < 0) {
        rl_error_set(err, 0, "container '%s' does not exist", id);
        return NULL;
    }
    rl_autojson json_object *o = rl_json_parse_file(path, 1 << 20, err);
    if (!o) return NULL;
    rl_state_t *st = xcalloc(1, sizeof *st);
    st->id = xstrdup(id);
    st->bundle = dup_str(o, "bundle");
    st->rootfs = dup_str(o, "rootfs");
    st->oci_version = dup_str(o, "ociVersion");
    st->created = dup_str(o, "created");
    st->owner = dup_str(o, "owner");
    st->cgroup = dup_str(o, "cgroup");
    json_object *v;
    if (json_object_object_get_ex(o, "pid", &v)) st->pid = json_object_get_int(v);
    if (json_object_object_get_ex(o, "startTime", &v)) st->start_time = json_object_get_uint64(v);
    /* a state from before there was one names no boot: any matches */
    if (json_object_object_get_ex(o, "bootId", &v) && json_object_is_type(v, json_type_string))
        st->boot_id = xstrdup(json_object_get_string(v));
    if (json_object_object_get_ex(o, "sharedMountNamespace", &v))
        st->shared_mntns = json_object_get_uint64(v);
    if (json_object_object_get_ex(o, "noHooks", &v)) st->no_hooks = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "annotations", &v) && v) st->annotations = json_object_get(v);
    return st;
}

void rl_state_free(rl_state_t *st)
{
    if (!st) return;
    free(st->id);
    free(st->bundle);
    free(st->rootfs);
    free(st->oci_version);
    free(st->created);
    free(st->owner);
    free(st->boot_id);
    free(st->cgroup);
    if (st->annotations) json_object_put(st->annotations);
    free(st);
}

int rl_state_destroy(const char *root, const char *id, rl_error_t *err)
{
    rl_autofree char *dir = rl_state_path(root, id, NULL);
    return rl_fs_rm_rf(dir, err);
}

int rl_state_lock(const char *root, const char *id, rl_error_t *err)
{
    rl_autofree char *dir = rl_state_path(root, id, NULL);
    int fd = rl_lock_path(dir, RL_LOCK_DIR, LOCK_EX, err);
    if (fd < 0 && err->code == ENOENT) {
        rl_error_clear(err);
        return rl_error_set(err, 0, "container '%s' does not exist", id);
    }
    return fd;
}

rl_proc_id_t rl_state_proc(const rl_state_t *st)
{
    rl_proc_id_t id = {.pid = st->pid, .start = st->start_time};
    snprintf(id.boot, sizeof id.boot, "%s", st->boot_id ? st->boot_id : "");
    return id;
}

bool rl_state_alive(const rl_state_t *st)
{
    rl_proc_id_t id = rl_state_proc(st);
    return rl_proc_same(&id);
}

const char *rl_state_status(const char *root, const rl_state_t *st)
{
    if (!rl_state_alive(st)) return "stopped";
    rl_autofree char *sock = rl_state_path(root, st->id, "start.sock");
    return access(sock, F_OK) == 0 ? "created" : "running";
}

json_object *rl_state_to_json(const rl_state_t *st, const char *status)
{
    json_object *o = json_object_new_object();
    add_str(o, "ociVersion", st->oci_version ? st->oci_version : "1.0.2");
    add_str(o, "id", st->id);
    add_str(o, "status", status);
    json_object_object_add(o, "pid", json_object_new_int(strcmp(status, "stopped") ? st->pid : 0));
    add_str(o, "bundle", st->bundle);
    add_str(o, "rootfs", st->rootfs);
    add_str(o, "created", st->created);
    add_str(o, "owner", st->owner);
    json_object_object_add(o, "annotations",
                           st->annotations ? json_object_get(st->annotations)
                                           : json_object_new_object());
    return o;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rl_state_list(const char *root, char ***ids, rl_error_t *err)
{
    DIR *d = opendir(root);
    size_t n = 0;
    char **v = xcalloc(1, sizeof *v);
    if (!d) {
        *ids = v;
        return errno == ENOENT ? 0 : rl_error_set(err, errno, "open '%s'", root);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        rl_autofree char *sj = rl_state_path(root, de->d_name, "state.json");
        if (access(sj, F_OK) < 0) continue;
        v = xreallocarray(v, n + 2, sizeof *v);
        v[n++] = xstrdup(de->d_name);
        v[n] = NULL;
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *ids = v;
    return 0;
}
