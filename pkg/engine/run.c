/* Image → container → run (see run.h). The store lock is held only while
 * reading metadata and recording the container. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "pkg/image/passwd.h"
#include "pkg/image/pull.h"
#include "pkg/runtime/container.h"
#include "pkg/runtime/rootfs.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "rootless/rundir.h"
#include "storage/containers.h"
#include "storage/driver.h"
#include "storage/images.h"
#include "storage/vfs.h"
#include "pkg/util/platform.h"

int rl_pull_policy_parse(const char *s, rl_pull_policy_t *p, rl_error_t *err)
{
    static const char *const names[] = {"missing", "always", "never", "newer"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) return *p = (rl_pull_policy_t)i, 0;
    return rl_error_set(err, 0, "--pull '%s': use missing, always, never or newer", s);
}

/* What the container is made of, read under the shared lock. */
typedef struct image_ref {
    rl_image_t img;
    rl_image_config_t cfg;
    char **lower; /* diff dirs, top first */
} image_ref_t;

static void image_ref_clear(image_ref_t *r)
{
    rl_image_clear(&r->img);
    rl_image_config_free(&r->cfg);
    rl_strv_free(r->lower);
}

static int copy_image(rl_store_t *s, const rl_image_db_t *db, int idx, image_ref_t *r,
                      rl_error_t *err)
{
    const rl_image_t *src = &db->v[idx];
    r->img = (rl_image_t){.id = xstrdup(src->id),
                          .names = rl_strv_dup(src->names),
                          .layers = rl_strv_dup(src->layers)};
    rl_autofree char *text = NULL;
    if (rl_image_read_file(s, src->id, "config.json", &text, err) < 0 ||
        rl_image_config_parse(text, strlen(text), &r->cfg, err) < 0)
        return rl_error_wrap(err, "image %.12s", src->id);
    size_t n = rl_strv_len(src->layers);
    r->lower = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        r->lower[i] = rl_store_path(s, "layers/%s/diff", src->layers[n - 1 - i]);
    return 0;
}

static int pull(rl_store_t *s, const rl_engine_run_t *r, rl_error_t *err)
{
    rl_pull_opts_t o = {.image = r->image, .tls_verify = -1};
    rl_autofree char *id = NULL;
    return rl_image_pull(s, &o, &id, err);
}

static int find_image(rl_store_t *s, const rl_engine_run_t *r, image_ref_t *out, rl_error_t *err)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 0 && r->pull == RL_PULL_NEWER && pull(s, r, err) < 0) {
            /* newer: what the registry has if it answers, else what we have */
            rl_warn("%s; using the local image if there is one", err->msg);
            rl_error_clear(err);
        }
        if ((attempt == 0 && r->pull == RL_PULL_ALWAYS) || attempt == 1) {
            if (pull(s, r, err) < 0) return -1;
        }
        rl_image_db_t db;
        if (rl_store_lock(s, LOCK_SH, err) < 0 || rl_image_db_load(s, &db, err) < 0) return -1;
        int idx = rl_image_db_find(&db, r->image, err);
        int ret = idx >= 0 ? copy_image(s, &db, idx, out, err) : -1;
        rl_image_db_free(&db);
        rl_store_unlock(s);
        if (idx >= 0 || r->pull == RL_PULL_NEVER || attempt == 1) return ret;
        if (err->msg && !strstr(err->msg, "image not known")) return -1;
        rl_error_clear(err);
    }
    return -1;
}

static int make_dirs(const char *base, const char *const *subs, rl_error_t *err)
{
    for (size_t i = 0; subs[i]; i++) {
        rl_autofree char *p = xasprintf("%s/%s", base, subs[i]);
        /* The upper dir's mode is the container root's: 0755 as on any system
         * (containers/<id> itself is 0700). */
        if (mkdir(p, 0755) < 0 && errno != EEXIST) return rl_error_set(err, errno, "mkdir '%s'", p);
    }
    return 0;
}

static int record(rl_store_t *s, const rl_engine_run_t *r, const image_ref_t *ir, const char *id,
                  rl_rootfs_driver_t drv, rl_error_t *err)
{
    rl_autofree char *created = rl_now_rfc3339();
    /* A generated name may be taken: draw again a few times. */
    for (int attempt = 0;; attempt++) {
        rl_autofree char *name = r->opts.name ? xstrdup(r->opts.name) : rl_engine_random_name();
        rl_ctr_rec_t rec = {.id = (char *)id,
                            .name = name,
                            .image_id = ir->img.id,
                            .image_name = (char *)r->image,
                            .created = created,
                            .driver = (char *)rl_rootfs_driver_name(drv),
                            .layers = ir->img.layers,
                            .ephemeral = r->rm};
        if (rl_ctr_create(s, &rec, err) == 0) return 0;
        if (r->opts.name || attempt >= 20 || !strstr(err->msg, "already in use")) return -1;
        rl_error_clear(err);
    }
}

static int write_spec(rl_store_t *s, const rl_engine_run_t *r, const image_ref_t *ir,
                      const char *id, const char *rootfs, rl_error_t *err)
{
    rl_image_user_t user;
    const char *who = r->opts.user ? r->opts.user : ir->cfg.user;
    if (rl_image_user_resolve(ir->lower, who, &user, err) < 0) return -1;
    rl_autojson json_object *spec = rl_spec_build(&ir->cfg, &r->opts, &user, rootfs, id, err);
    rl_image_user_clear(&user);
    if (!spec) return -1;
    const char *text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PLAIN);
    rl_autofree char *p = rl_store_path(s, "containers/%s/config.json", id);
    if (r->rm) return rl_fs_write_volatile(p, text, strlen(text), 0600, err);
    return rl_fs_write_atomic(p, text, strlen(text), 0600, err);
}

static int prepare(rl_store_t *s, const rl_engine_run_t *r, const image_ref_t *ir, const char *id,
                   rl_rootfs_driver_t drv, rl_error_t *err)
{
    rl_autofree char *dir = rl_store_path(s, "containers/%s", id);
    const char *const overlay_dirs[] = {"upper", "work", "merged", NULL};
    const char *const vfs_dirs[] = {"rootfs", NULL};
    if (make_dirs(dir, drv == RL_ROOTFS_VFS ? vfs_dirs : overlay_dirs, err) < 0) return -1;
    rl_autofree char *rootfs = xasprintf("%s/%s", dir, drv == RL_ROOTFS_VFS ? "rootfs" : "merged");
    if (drv == RL_ROOTFS_VFS && rl_vfs_copy_layers(ir->lower, rootfs, err) < 0) return -1;
    return write_spec(s, r, ir, id, rootfs, err);
}

static int start(rl_store_t *s, const char *id, const image_ref_t *ir, rl_rootfs_driver_t drv,
                 rl_error_t *err)
{
    rl_autofree char *base = rl_rundir_base(err);
    if (!base) return -1;
    rl_autofree char *root = xasprintf("%s/rl/containers", base);
    rl_autofree char *bundle = rl_store_path(s, "containers/%s", id);
    rl_autofree char *upper = xasprintf("%s/upper", bundle);
    rl_autofree char *work = xasprintf("%s/work", bundle);
    rl_rootfs_t rootfs = {
        .driver = drv, .lower = ir->lower, .upper = upper, .work = work, .userxattr = s->rootless};
    rl_create_opts_t o = {
        .root = root, .id = id, .bundle = bundle, .start = true, .rootfs = &rootfs};
    return rl_container_create(&o, err);
}

int rl_engine_run(rl_store_t *s, const rl_engine_run_t *r, char **id_out, rl_error_t *err)
{
    image_ref_t ir = {0};
    rl_autofree char *reason = NULL;
    rl_rootfs_driver_t drv;
    char id[65];
    rl_ctr_new_id(id);
    if (find_image(s, r, &ir, err) < 0 ||
        rl_storage_driver(s, r->storage_driver, &drv, &reason, err) < 0 ||
        record(s, r, &ir, id, drv, err) < 0) {
        image_ref_clear(&ir);
        return -1;
    }
    int code = prepare(s, r, &ir, id, drv, err);
    if (code == 0 && !r->create_only) code = start(s, id, &ir, drv, err);
    image_ref_clear(&ir);
    if ((code < 0 && !r->create_only) || (r->rm && !r->create_only)) {
        rl_error_t e = RL_ERROR_INIT;
        if (rl_ctr_remove(s, id, &e) < 0) rl_error_clear(&e);
    }
    if (code >= 0 && id_out) *id_out = xstrdup(id);
    return code;
}
