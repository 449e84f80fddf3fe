/* SPDX-License-Identifier: Apache-2.0 */
/* images.json and images/<id>/ (see images.h). */
#include "images.h"
#include "store_int.h"

#include <errno.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/digest.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"

#define DB_MAX (64 << 20)

void rl_store_image_clear(rl_store_image_t *img)
{
    free(img->id);
    rl_strv_free(img->names);
    rl_strv_free(img->digests);
    rl_strv_free(img->layers);
    free(img->created);
    free(img->arch);
    free(img->os);
    memset(img, 0, sizeof *img);
}

void rl_store_image_db_free(rl_store_image_db_t *db)
{
    for (size_t i = 0; i < db->n; i++)
        rl_store_image_clear(&db->v[i]);
    free(db->v);
    db->v = NULL;
    db->n = 0;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int load_one(json_object *o, const char *path, rl_store_image_t *img, rl_error_t *err)
{
    const char *id = NULL, *created = NULL, *arch = NULL, *os = NULL;
    int64_t added = 0;
    if (rl_json_str(o, path, "id", true, &id, err) < 0 ||
        rl_json_strv(o, path, "names", false, &img->names, err) < 0 ||
        rl_json_strv(o, path, "digests", false, &img->digests, err) < 0 ||
        rl_json_strv(o, path, "layers", false, &img->layers, err) < 0 ||
        rl_json_str(o, path, "created", false, &created, err) < 0 ||
        rl_json_str(o, path, "architecture", false, &arch, err) < 0 ||
        rl_json_str(o, path, "os", false, &os, err) < 0 ||
        rl_json_u64(o, path, "size", &img->size, err) < 0 ||
        rl_json_i64(o, path, "added", 0, INT64_MAX, &added, err) < 0)
        return -1;
    img->id = xstrdup(id);
    img->created = dup_or_null(created);
    img->arch = dup_or_null(arch);
    img->os = dup_or_null(os);
    img->added = added;
    if (!img->names) img->names = xcalloc(1, sizeof(char *));
    if (!img->digests) img->digests = xcalloc(1, sizeof(char *));
    if (!img->layers) img->layers = xcalloc(1, sizeof(char *));
    return 0;
}

int rl_store_image_db_load(rl_store_t *s, rl_store_image_db_t *db, rl_error_t *err)
{
    memset(db, 0, sizeof *db);
    rl_autofree char *p = rl_store_path(s, "images.json");
    if (!rl_fs_exists(p)) return 0;
    rl_autojson json_object *j = rl_json_parse_file(p, DB_MAX, err);
    json_object *arr = NULL;
    if (!j || rl_json_get(j, "", "images", json_type_array, true, &arr, err) < 0)
        return rl_error_wrap(err, "image database");
    size_t n = json_object_array_length(arr);
    db->v = xcalloc(n ? n : 1, sizeof *db->v);
    for (size_t i = 0; i < n; i++) {
        rl_autofree char *path = rl_json_path_idx("images", i);
        json_object *o = json_object_array_get_idx(arr, i);
        if (rl_json_expect(o, path, json_type_object, err) < 0 ||
            load_one(o, path, &db->v[db->n], err) < 0) {
            rl_store_image_db_free(db);
            return rl_error_wrap(err, "image database '%s'", p);
        }
        db->n++;
    }
    return 0;
}

int rl_store_image_db_read(rl_store_t *s, rl_store_image_db_t *db, rl_error_t *err)
{
    memset(db, 0, sizeof *db);
    if (rl_store_lock(s, LOCK_SH, err) < 0) return -1;
    int r = rl_store_image_db_load(s, db, err);
    rl_store_unlock(s);
    return r;
}

static void add_str(json_object *o, const char *key, const char *v)
{
    if (v) json_object_object_add(o, key, json_object_new_string(v));
}

int rl_store_image_db_save(rl_store_t *s, const rl_store_image_db_t *db, rl_error_t *err)
{
    rl_autojson json_object *j = json_object_new_object();
    json_object *arr = json_object_new_array();
    json_object_object_add(j, "images", arr);
    for (size_t i = 0; i < db->n; i++) {
        const rl_store_image_t *img = &db->v[i];
        json_object *o = json_object_new_object();
        add_str(o, "id", img->id);
        json_object_object_add(o, "names", rl_json_new_strv((const char *const *)img->names));
        json_object_object_add(o, "digests", rl_json_new_strv((const char *const *)img->digests));
        json_object_object_add(o, "layers", rl_json_new_strv((const char *const *)img->layers));
        add_str(o, "created", img->created);
        add_str(o, "architecture", img->arch);
        add_str(o, "os", img->os);
        json_object_object_add(o, "size", json_object_new_int64((int64_t)img->size));
        json_object_object_add(o, "added", json_object_new_int64(img->added));
        json_object_array_add(arr, o);
    }
    const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
    rl_autofree char *p = rl_store_path(s, "images.json");
    return rl_fs_write_atomic(p, text, strlen(text), 0600, err);
}

static bool has_str(char **v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* name "reg/a/b:tag" matches short "b:tag" / "a/b:tag" at a "/" boundary. */
static bool short_match(const char *name, const char *want)
{
    size_t n = strlen(name), w = strlen(want);
    return n > w && !strcmp(name + n - w, want) && name[n - w - 1] == '/';
}

static int pick(const rl_store_image_db_t *db, const char *what,
                bool (*match)(const rl_store_image_t *, const char *), const char *arg,
                rl_error_t *err)
{
    int found = -1;
    for (size_t i = 0; i < db->n; i++) {
        if (!match(&db->v[i], arg)) continue;
        if (found >= 0 && strcmp(db->v[found].id, db->v[i].id))
            return rl_error_set(err, 0,
                                "'%s' matches more than one image: give the full name or id", what),
                   -2;
        found = (int)i;
    }
    return found;
}

static bool by_name(const rl_store_image_t *img, const char *name)
{
    return has_str(img->names, name);
}

static bool by_id_prefix(const rl_store_image_t *img, const char *p)
{
    return !strncmp(img->id, p, strlen(p));
}

static bool by_short(const rl_store_image_t *img, const char *want)
{
    for (size_t i = 0; img->names[i]; i++)
        if (short_match(img->names[i], want)) return true;
    return false;
}

static bool hex_prefix(const char *s)
{
    if (!strncmp(s, "sha256:", 7)) s += 7;
    size_t n = strlen(s);
    return n > 0 && n <= RL_DIGEST_HEX && strspn(s, "0123456789abcdef") == n;
}

/* name@digest: the repository must carry that digest. */
static int find_digest(const rl_store_image_db_t *db, const rl_ref_t *ref)
{
    rl_autofree char *repo = rl_ref_repo(ref);
    for (size_t i = 0; i < db->n; i++) {
        if (!has_str(db->v[i].digests, ref->digest)) continue;
        for (size_t k = 0; db->v[i].names[k]; k++) {
            const char *nm = db->v[i].names[k];
            size_t rl = strlen(repo);
            if ((!strncmp(nm, repo, rl) && nm[rl] == ':') ||
                (ref->domain == NULL && strstr(nm, ref->path)))
                return (int)i;
        }
    }
    return -1;
}

int rl_store_image_db_find(const rl_store_image_db_t *db, const char *what, rl_error_t *err)
{
    if (hex_prefix(what)) {
        const char *p = !strncmp(what, "sha256:", 7) ? what + 7 : what;
        int i = pick(db, what, by_id_prefix, p, err);
        if (i != -1) return i < 0 ? -1 : i;
    }
    rl_ref_t ref;
    if (rl_ref_parse(what, &ref, err) < 0) return -1;
    int found = -1;
    if (ref.digest) {
        found = find_digest(db, &ref);
    } else {
        bool is_short = rl_ref_is_short(&ref);
        if (!ref.tag) ref.tag = xstrdup("latest");
        rl_autofree char *full = rl_ref_string(&ref);
        if (!is_short) {
            rl_ref_normalize(&ref);
            rl_autofree char *norm = rl_ref_string(&ref);
            found = pick(db, what, by_name, norm, err);
        } else {
            rl_autofree char *local = xasprintf("localhost/%s", full);
            found = pick(db, what, by_name, local, err);
            if (found == -1) found = pick(db, what, by_short, full, err);
        }
    }
    rl_ref_free(&ref);
    if (found == -2) return -1;
    if (found < 0) return rl_error_setk(err, RL_ERR_NOT_FOUND, 0, "%s: image not known", what);
    return found;
}

void rl_store_image_db_add_name(rl_store_image_db_t *db, size_t idx, const char *name)
{
    for (size_t i = 0; i < db->n; i++)
        if (i != idx) rl_store_image_db_remove_name(db, i, name);
    if (!has_str(db->v[idx].names, name)) rl_strv_push(&db->v[idx].names, xstrdup(name));
}

bool rl_store_image_db_remove_name(rl_store_image_db_t *db, size_t idx, const char *name)
{
    char **v = db->v[idx].names;
    for (size_t i = 0; v[i]; i++) {
        if (strcmp(v[i], name)) continue;
        free(v[i]);
        memmove(&v[i], &v[i + 1], (rl_strv_len(v) - i) * sizeof *v);
        return true;
    }
    return false;
}

void rl_store_image_db_remove(rl_store_image_db_t *db, size_t idx)
{
    rl_store_image_clear(&db->v[idx]);
    memmove(&db->v[idx], &db->v[idx + 1], (db->n - idx - 1) * sizeof *db->v);
    db->n--;
}

bool rl_store_image_db_uses_layer(const rl_store_image_db_t *db, const char *hex)
{
    for (size_t i = 0; i < db->n; i++)
        if (has_str(db->v[i].layers, hex)) return true;
    return false;
}

static int write_image_dir(rl_store_t *s, const char *id, const char *manifest, const char *config,
                           rl_error_t *err)
{
    rl_autofree char *dir = rl_store_path(s, "images/%s", id);
    if (rl_fs_exists(dir)) return 0;
    rl_autofree char *tmp = rl_store_path(s, "tmp/image-%s-%d", id, (int)getpid());
    rl_autofree char *m = xasprintf("%s/manifest.json", tmp);
    rl_autofree char *c = xasprintf("%s/config.json", tmp);
    rl_fs_rm_rf(tmp, err);
    if (mkdir(tmp, 0700) < 0) return rl_error_set(err, errno, "mkdir '%s'", tmp);
    if (rl_fs_write_atomic(m, manifest, strlen(manifest), 0600, err) < 0 ||
        rl_fs_write_atomic(c, config, strlen(config), 0600, err) < 0)
        return -1;
    if (rename(tmp, dir) < 0 && errno != ENOTEMPTY && errno != EEXIST) {
        rl_fs_rm_rf(tmp, err);
        return rl_error_set(err, errno, "rename into '%s'", dir);
    }
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_rm_rf(tmp, &e) < 0) rl_error_clear(&e);
    return 0;
}

/* Names → the index of the image holding them, so that adding thousands
 * of names (an `rl load` of many tags) costs linear time, not quadratic. */
typedef struct name_index {
    json_object *owner; /* name → int index (a hash table) */
    size_t *len, *cap;  /* each image's name count, and room in names[] */
} name_index_t;

static void index_build(const rl_store_image_db_t *db, name_index_t *x)
{
    x->owner = json_object_new_object();
    x->len = xcalloc(db->n + 1, sizeof *x->len);
    x->cap = xcalloc(db->n + 1, sizeof *x->cap);
    for (size_t i = 0; i < db->n; i++) {
        for (char **v = db->v[i].names; v && *v; v++, x->len[i]++)
            json_object_object_add(x->owner, *v, json_object_new_int((int)i));
        x->cap[i] = db->v[i].names ? x->len[i] + 1 : 0;
    }
}

static void index_free(name_index_t *x)
{
    json_object_put(x->owner);
    free(x->len), free(x->cap);
}

/* Give name to image idx, taking it from whichever image had it. */
static void index_give(rl_store_image_db_t *db, name_index_t *x, size_t idx, const char *name)
{
    json_object *o;
    if (json_object_object_get_ex(x->owner, name, &o)) {
        size_t had = (size_t)json_object_get_int(o);
        if (had == idx) return;
        if (rl_store_image_db_remove_name(db, had, name)) x->len[had]--;
    }
    size_t n = x->len[idx]++;
    char ***v = &db->v[idx].names;
    if (n + 2 > x->cap[idx]) { /* doubling: linear in all */
        x->cap[idx] = 2 * (n + 2);
        *v = xrealloc(*v, x->cap[idx] * sizeof **v);
    }
    (*v)[n] = xstrdup(name);
    (*v)[n + 1] = NULL;
    json_object_object_add(x->owner, name, json_object_new_int((int)idx));
}

static size_t find_or_add(rl_store_image_db_t *db, name_index_t *x, const rl_store_image_t *img)
{
    for (size_t i = 0; i < db->n; i++)
        if (!strcmp(db->v[i].id, img->id)) return i;
    db->v = xrealloc(db->v, (db->n + 1) * sizeof *db->v);
    x->len = xrealloc(x->len, (db->n + 2) * sizeof *x->len);
    x->cap = xrealloc(x->cap, (db->n + 2) * sizeof *x->cap);
    x->len[db->n] = x->cap[db->n] = 0;
    db->v[db->n] = (rl_store_image_t){.id = xstrdup(img->id),
                                      .names = NULL,
                                      .digests = xcalloc(1, sizeof(char *)),
                                      .layers = rl_strv_dup(img->layers),
                                      .created = dup_or_null(img->created),
                                      .arch = dup_or_null(img->arch),
                                      .os = dup_or_null(img->os),
                                      .size = img->size,
                                      .added = (int64_t)time(NULL)};
    return db->n++;
}

int rl_store_image_stage(rl_store_t *s, const rl_store_image_t *img, const char *manifest,
                         const char *config, rl_error_t *err)
{
    return write_image_dir(s, img->id, manifest, config, err);
}

int rl_store_image_commit_all(rl_store_t *s, const rl_store_image_t *imgs, size_t n,
                              rl_error_t *err)
{
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    rl_store_image_db_t db;
    int r = rl_store_image_db_load(s, &db, err);
    if (r == 0) {
        name_index_t x;
        index_build(&db, &x);
        for (size_t k = 0; k < n; k++) {
            const rl_store_image_t *img = &imgs[k];
            size_t idx = find_or_add(&db, &x, img);
            for (char **v = img->names; v && *v; v++)
                index_give(&db, &x, idx, *v);
            if (!db.v[idx].names) db.v[idx].names = xcalloc(1, sizeof(char *));
            for (char **v = img->digests; v && *v; v++)
                if (!has_str(db.v[idx].digests, *v)) rl_strv_push(&db.v[idx].digests, xstrdup(*v));
        }
        index_free(&x);
        /* one write: every image and name of the batch, or none */
        r = rl_store_image_db_save(s, &db, err);
        rl_store_image_db_free(&db);
    }
    rl_store_unlock(s);
    return r;
}

int rl_store_image_commit(rl_store_t *s, const rl_store_image_t *img, const char *manifest,
                          const char *config, rl_error_t *err)
{
    if (rl_store_image_stage(s, img, manifest, config, err) < 0) return -1;
    return rl_store_image_commit_all(s, img, 1, err);
}

int rl_store_image_read_file(rl_store_t *s, const char *id, const char *file, char **out,
                             rl_error_t *err)
{
    rl_autofree char *p = rl_store_path(s, "images/%s/%s", id, file);
    return rl_fs_read_file(p, 16 << 20, out, NULL, err);
}
