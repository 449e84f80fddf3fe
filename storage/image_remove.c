/* SPDX-License-Identifier: Apache-2.0 */
/* rmi and image prune (see image_remove.h). Metadata changes happen under
 * the exclusive lock first; layer dirs are removed after, so a crash leaves
 * unreferenced layers at worst, never an image without its layers. */
#include "image_remove.h"
#include "store_int.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "containers.h"
#include "images.h"
#include "layers.h"
#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"

/* The name what refers to, normalised as stored, or NULL for an id. */
static char *as_name(const rl_store_image_t *img, const char *what)
{
    for (size_t i = 0; img->names[i]; i++) {
        const char *n = img->names[i];
        size_t nl = strlen(n), wl = strlen(what);
        if (!strcmp(n, what)) return xstrdup(n);
        if (nl > wl && n[nl - wl - 1] == '/' && !strcmp(n + nl - wl, what)) return xstrdup(n);
        rl_autofree char *tagged = xasprintf("%s:latest", what);
        size_t tl = strlen(tagged);
        if (!strcmp(n, tagged) ||
            (nl > tl && n[nl - tl - 1] == '/' && !strcmp(n + nl - tl, tagged)))
            return xstrdup(n);
    }
    return NULL;
}

static void remove_unused_layers(rl_store_t *s, char **layers, const rl_store_image_db_t *db)
{
    for (size_t i = 0; layers && layers[i]; i++) {
        if (rl_store_image_db_uses_layer(db, layers[i])) continue;
        rl_error_t e = RL_ERROR_INIT;
        if (rl_layer_remove(s, layers[i], &e) < 0) {
            rl_warn("%s", e.msg);
            rl_error_clear(&e);
        }
    }
}

static int remove_containers(rl_store_t *s, char **ids, rl_error_t *err)
{
    for (size_t i = 0; ids[i]; i++)
        if (rl_ctr_remove(s, ids[i], err) < 0) return -1;
    return 0;
}

/* Under the lock: drop image idx from db, save; the caller removes files. */
static int delete_image(rl_store_t *s, rl_store_image_db_t *db, size_t idx, rl_strbuf_t *out,
                        char ***layers, char **id, rl_error_t *err)
{
    rl_store_image_t *img = &db->v[idx];
    for (size_t i = 0; img->names[i]; i++)
        rl_strbuf_appendf(out, "Untagged: %s\n", img->names[i]);
    rl_strbuf_appendf(out, "Deleted: %s\n", img->id);
    *layers = rl_strv_dup(img->layers);
    *id = xstrdup(img->id);
    rl_store_image_db_remove(db, idx);
    return rl_store_image_db_save(s, db, err);
}

static int remove_locked(rl_store_t *s, rl_store_image_db_t *db, const char *what, bool force,
                         rl_strbuf_t *out, char ***layers, char **id, rl_error_t *err)
{
    int idx = rl_store_image_db_find(db, what, err);
    if (idx < 0) return err->exit = 1, -1;
    rl_store_image_t *img = &db->v[idx];
    rl_autofree char *name = as_name(img, what);
    if (name && rl_strv_len(img->names) > 1) {
        rl_store_image_db_remove_name(db, (size_t)idx, name);
        rl_strbuf_appendf(out, "Untagged: %s\n", name);
        return rl_store_image_db_save(s, db, err);
    }
    rl_autostrv char **users = rl_ctr_using_image(s, img->id);
    if (users[0] && !force)
        return rl_error_set(err, 0,
                            "image '%s' is in use by container %.12s: remove the container "
                            "first or use --force",
                            what, users[0]),
               err->exit = 2, -1;
    if (remove_containers(s, users, err) < 0) return -1;
    return delete_image(s, db, (size_t)idx, out, layers, id, err);
}

int rl_store_image_remove(rl_store_t *s, const char *what, bool force, rl_strbuf_t *out,
                          rl_error_t *err)
{
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    rl_store_image_db_t db;
    rl_autostrv char **layers = NULL;
    rl_autofree char *id = NULL;
    int r = rl_store_image_db_load(s, &db, err);
    if (r == 0) r = remove_locked(s, &db, what, force, out, &layers, &id, err);
    if (r == 0 && id) {
        remove_unused_layers(s, layers, &db);
        rl_autofree char *dir = rl_store_path(s, "images/%s", id);
        rl_error_t e = RL_ERROR_INIT;
        if (rl_fs_rm_rf(dir, &e) < 0) rl_warn("%s", e.msg), rl_error_clear(&e);
    }
    rl_store_image_db_free(&db);
    rl_store_unlock(s);
    return r;
}

/* Layers no image names: left by interrupted or failed pulls. */
static void remove_orphan_layers(rl_store_t *s, const rl_store_image_db_t *db)
{
    int own = rl_store_try_own_layers(s);
    if (own < 0) return; /* a pull is recording its layers right now */
    rl_autofree char *dir = rl_store_path(s, "layers");
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || rl_store_image_db_uses_layer(db, e->d_name)) continue;
        rl_error_t err = RL_ERROR_INIT;
        if (rl_layer_remove(s, e->d_name, &err) < 0) rl_error_clear(&err);
    }
    if (d) closedir(d);
    close(own);
}

int rl_store_image_prune(rl_store_t *s, bool all, rl_strbuf_t *out, rl_error_t *err)
{
    rl_store_clean_leftovers(s);
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    rl_store_image_db_t db;
    int r = rl_store_image_db_load(s, &db, err);
    for (size_t i = 0; r == 0 && i < db.n;) {
        rl_store_image_t *img = &db.v[i];
        rl_autostrv char **users = rl_ctr_using_image(s, img->id);
        if (users[0] || (!all && img->names[0])) {
            i++;
            continue;
        }
        rl_autostrv char **layers = NULL;
        rl_autofree char *id = NULL;
        rl_strbuf_t ignore = {0};
        r = delete_image(s, &db, i, &ignore, &layers, &id, err);
        rl_strbuf_free(&ignore);
        if (r < 0) break;
        rl_strbuf_appendf(out, "%s\n", id);
        remove_unused_layers(s, layers, &db);
        rl_autofree char *dir = rl_store_path(s, "images/%s", id);
        rl_error_t e = RL_ERROR_INIT;
        if (rl_fs_rm_rf(dir, &e) < 0) rl_error_clear(&e);
    }
    if (r == 0) remove_orphan_layers(s, &db);
    rl_store_image_db_free(&db);
    rl_store_unlock(s);
    return r;
}

int rl_store_image_remove_all(rl_store_t *s, bool force, rl_strbuf_t *out, rl_error_t *err)
{
    rl_store_image_db_t db;
    if (rl_store_image_db_read(s, &db, err) < 0) return -1;
    int r = 0;
    for (size_t i = 0; i < db.n && r == 0; i++)
        r = rl_store_image_remove(s, db.v[i].id, force, out, err);
    rl_store_image_db_free(&db);
    return r;
}
