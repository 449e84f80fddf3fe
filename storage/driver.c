/* SPDX-License-Identifier: Apache-2.0 */
/* Storage driver choice and probe (see driver.h). */
#include "driver.h"
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "rootless/userns.h"

const char *rl_store_driver_name(rl_store_driver_t d)
{
    switch (d) {
    case RL_STORE_FUSE_OVERLAYFS:
        return "fuse-overlayfs";
    case RL_STORE_VFS:
        return "vfs";
    default:
        return "overlay";
    }
}

int rl_store_driver_parse(const char *name, rl_store_driver_t *d, rl_error_t *err)
{
    if (!strcmp(name, "overlay") || !strcmp(name, "overlay2"))
        *d = RL_STORE_OVERLAY;
    else if (!strcmp(name, "fuse-overlayfs"))
        *d = RL_STORE_FUSE_OVERLAYFS;
    else if (!strcmp(name, "vfs"))
        *d = RL_STORE_VFS;
    else
        return rl_error_set(err, 0, "storage driver '%s': use overlay, fuse-overlayfs or vfs",
                            name);
    return 0;
}

/* driver = "..." under [storage] in storage.conf (the one key rl reads). */
static char *conf_driver(void)
{
    rl_autofree char *user = rl_user_config_path("containers/storage.conf");
    const char *files[] = {geteuid() ? user : "/etc/containers/storage.conf",
                           "/etc/containers/storage.conf"};
    for (size_t f = 0; f < 2; f++) {
        rl_autofclose FILE *fp = fopen(files[f], "re");
        char line[512], section[64] = "", val[64];
        while (fp && fgets(line, sizeof line, fp)) {
            if (sscanf(line, " [%63[^]]]", section) == 1) continue;
            if (!strcmp(section, "storage") && sscanf(line, " driver = \"%63[^\"]\"", val) == 1 &&
                *val)
                return xstrdup(val);
        }
    }
    return NULL;
}

typedef struct probe_arg {
    const char *dir;
    bool rootless;
} probe_arg_t;

static int probe_child(void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    const probe_arg_t *a = arg;
    const char *dir = a->dir;
    (void)out;
    if (unshare(CLONE_NEWNS) < 0) return rl_error_set(err, errno, "unshare mount namespace");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return rl_error_set(err, errno, "make / private");
    rl_autofree char *o = xasprintf("lowerdir=%s/l,upperdir=%s/u,workdir=%s/w%s", dir, dir, dir,
                                    a->rootless ? ",userxattr" : "");
    rl_autofree char *m = xasprintf("%s/m", dir);
    if (mount("overlay", m, "overlay", 0, o) < 0) return rl_error_set(err, errno, "mount overlay");
    return 0;
}

/* /dev/fuse opens read-write; fuse-overlayfs is on PATH. */
static void fuse_overlayfs_usable(bool *dev, bool *prog)
{
    int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    *dev = fd >= 0;
    if (fd >= 0) close(fd);
    rl_autofree char *path = getenv("PATH") ? xstrdup(getenv("PATH")) : xstrdup("/usr/bin:/bin");
    *prog = false;
    for (char *save = NULL, *d = strtok_r(path, ":", &save); d && !*prog;
         d = strtok_r(NULL, ":", &save)) {
        rl_autofree char *p = xasprintf("%s/fuse-overlayfs", d);
        *prog = access(p, X_OK) == 0;
    }
}

static int probe(rl_store_t *s, rl_store_driver_t *d, char **reason)
{
    rl_autofree char *dir = rl_store_path(s, "tmp/probe-%d", (int)getpid());
    const char *subs[] = {"l", "u", "w", "m"};
    rl_error_t err = RL_ERROR_INIT;
    for (size_t i = 0; i < 4; i++) {
        rl_autofree char *p = xasprintf("%s/%s", dir, subs[i]);
        rl_fs_mkdir_p(p, 0700, &err);
    }
    probe_arg_t a = {dir, s->rootless};
    int r = rl_userns_run(probe_child, &a, NULL, &err);
    rl_error_t ignore = RL_ERROR_INIT;
    if (rl_userns_rm_rf(dir, &ignore) < 0) rl_error_clear(&ignore);
    if (r == 0) {
        *d = RL_STORE_OVERLAY;
        *reason = xstrdup("native overlay mounts in a user namespace here (probed)");
        return 0;
    }
    rl_autofree char *why = xstrdup(err.msg ? err.msg : "unknown");
    rl_error_clear(&err);
    bool fuse = false, have = false;
    fuse_overlayfs_usable(&fuse, &have);
    if (fuse && have) {
        *d = RL_STORE_FUSE_OVERLAYFS;
        *reason =
            xasprintf("native overlay failed (%s); fuse-overlayfs and /dev/fuse are usable", why);
    } else {
        *d = RL_STORE_VFS;
        *reason = xasprintf("native overlay failed (%s) and fuse-overlayfs is %s: full copies", why,
                            have ? "present but /dev/fuse is not usable" : "not installed");
    }
    return 0;
}

static int load_cached(rl_store_t *s, rl_store_driver_t *d, char **reason)
{
    rl_autofree char *p = rl_store_path(s, "driver.json");
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *j = rl_fs_exists(p) ? rl_json_parse_file(p, 65536, &err) : NULL;
    const char *name = NULL, *why = NULL;
    if (!j || rl_json_str(j, "", "driver", true, &name, &err) < 0 ||
        rl_json_str(j, "", "reason", false, &why, &err) < 0 ||
        rl_store_driver_parse(name, d, &err) < 0) {
        rl_error_clear(&err);
        return -1;
    }
    *reason = xstrdup(why ? why : "");
    return 0;
}

static void save_cached(rl_store_t *s, rl_store_driver_t d, const char *reason)
{
    rl_autojson json_object *j = json_object_new_object();
    json_object_object_add(j, "driver", json_object_new_string(rl_store_driver_name(d)));
    json_object_object_add(j, "reason", json_object_new_string(reason));
    const char *text = json_object_to_json_string(j);
    rl_autofree char *p = rl_store_path(s, "driver.json");
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_write_atomic(p, text, strlen(text), 0600, &err) < 0) rl_error_clear(&err);
}

int rl_store_driver(rl_store_t *s, const char *requested, rl_store_driver_t *d, char **reason,
                    rl_error_t *err)
{
    if (requested) {
        *reason = xstrdup("chosen with --storage-driver");
        return rl_store_driver_parse(requested, d, err);
    }
    const char *env = getenv("RL_STORAGE_DRIVER");
    if (env && *env) {
        *reason = xstrdup("chosen with RL_STORAGE_DRIVER");
        return rl_store_driver_parse(env, d, err);
    }
    rl_autofree char *conf = conf_driver();
    if (conf) {
        *reason = xstrdup("chosen in storage.conf");
        return rl_store_driver_parse(conf, d, err) < 0 ? rl_error_wrap(err, "storage.conf") : 0;
    }
    if (load_cached(s, d, reason) == 0) return 0;
    probe(s, d, reason);
    save_cached(s, *d, *reason);
    return 0;
}

int rl_store_driver_keep_id(rl_store_driver_t *d, char **reason)
{
    if (*d != RL_STORE_OVERLAY) return 0;
    bool dev = false, prog = false;
    fuse_overlayfs_usable(&dev, &prog);
    free(*reason);
    if (dev && prog) {
        *d = RL_STORE_FUSE_OVERLAYFS;
        *reason = xstrdup("keep-id: native overlay cannot shift owners; fuse-overlayfs does");
    } else {
        *d = RL_STORE_VFS;
        *reason = xstrdup("keep-id: native overlay cannot shift owners and fuse-overlayfs is not "
                          "usable: a chowned full copy");
    }
    return 0;
}
