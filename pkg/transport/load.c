/* SPDX-License-Identifier: Apache-2.0 */
/* Loading archives (see load.h). The archive is unpacked (regular files
 * and directories only, no owners) into a private temporary directory;
 * every path it names is then opened beneath that directory. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pkg/image/config.h"
#include "import.h"
#include "pkg/image/manifest.h"
#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "storage/libarchive.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "storage/extract.h"
#include "storage/images.h"
#include "storage/layers.h"

static int unpack(const char *file, const char *dir, rl_error_t *err)
{
    if (rl_libarchive_load(err) < 0) return -1;
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_none(a);
    struct archive *w = archive_write_disk_new();
    /* Paths are ours (dir + a cleaned relative path): absolute on purpose. */
    archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                          ARCHIVE_EXTRACT_SECURE_NODOTDOT);
    int r = 0;
    if (archive_read_open_filename(a, file, 1 << 16) != ARCHIVE_OK) {
        r = rl_error_set(err, 0, "'%s': %s", file, archive_error_string(a));
        goto out;
    }
    struct archive_entry *e;
    int rc;
    while (r == 0 && (rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        char path[PATH_MAX];
        if (rl_extract_clean_path(archive_entry_pathname(e), path, sizeof path, err) < 0) {
            r = rl_error_wrap(err, "'%s'", file);
            break;
        }
        mode_t t = archive_entry_filetype(e);
        if (!*path || (t != AE_IFREG && t != AE_IFDIR && t != AE_IFLNK)) continue;
        rl_autofree char *full = xasprintf("%s/%s", dir, path);
        archive_entry_set_pathname(e, full);
        archive_entry_set_perm(e, t == AE_IFDIR ? 0700 : 0600);
        if (archive_write_header(w, e) != ARCHIVE_OK) {
            r = rl_error_set(err, 0, "'%s': %s: %s", file, path, archive_error_string(w));
            break;
        }
        const void *buf;
        size_t size;
        la_int64_t off;
        while ((rc = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
            if (archive_write_data_block(w, buf, size, off) != ARCHIVE_OK) break;
        archive_write_finish_entry(w);
    }
    if (r == 0 && rc != ARCHIVE_EOF)
        r = rl_error_set(err, 0, "'%s': %s", file, archive_error_string(a));
out:
    archive_read_free(a);
    archive_write_free(w);
    return r;
}

/* Open dir/path without leaving dir (symlinks resolved inside it). */
static int open_in(const char *dir, const char *path, rl_error_t *err)
{
    rl_autoclose int d = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int fd = d < 0 ? -1 : (int)syscall(SYS_openat2, d, path, &how, sizeof how);
    if (fd < 0) return rl_error_set(err, errno, "archive member '%s'", path);
    return fd;
}

static int read_in(const char *dir, const char *path, size_t max, char **out, size_t *len,
                   rl_error_t *err)
{
    rl_autoclose int fd = open_in(dir, path, err);
    if (fd < 0) return -1;
    return rl_fs_read_fd(fd, path, max, out, len, err);
}

/* The images of one archive, staged; they get their names together in one
 * write when all are in (a killed load leaves no half of its tags). */
typedef struct batch {
    rl_store_image_t *v;
    size_t n;
} batch_t;

static void batch_add(batch_t *b, const rl_store_image_t *img)
{
    b->v = xrealloc(b->v, (b->n + 1) * sizeof *b->v);
    b->v[b->n++] =
        (rl_store_image_t){.id = xstrdup(img->id),
                           .names = rl_strv_dup(img->names ? img->names : (char *[]){NULL}),
                           .digests = rl_strv_dup(img->digests),
                           .layers = rl_strv_dup(img->layers),
                           .created = img->created ? xstrdup(img->created) : NULL,
                           .arch = img->arch ? xstrdup(img->arch) : NULL,
                           .os = img->os ? xstrdup(img->os) : NULL,
                           .size = img->size};
}

static void batch_free(batch_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        rl_store_image_clear(&b->v[i]);
    free(b->v);
}

/* One image: its config and the layer files, base first. */
static int store_image(rl_store_t *s, const char *dir, const char *config, size_t clen,
                       char **layer_files, char **names, batch_t *out, rl_error_t *err)
{
    rl_image_config_t cfg;
    if (rl_image_config_parse(config, clen, &cfg, err) < 0) return -1;
    size_t n = rl_strv_len(layer_files);
    int r = rl_strv_len(cfg.diff_ids) == n
                ? 0
                : rl_error_set(err, 0, "image config lists %zu layers, the archive %zu",
                               rl_strv_len(cfg.diff_ids), n);
    rl_autostrv char **chains = NULL;
    json_object *mlayers = json_object_new_array();
    char parent[RL_DIGEST_HEX + 1] = "";
    uint64_t size = 0;
    for (size_t i = 0; r == 0 && i < n; i++) {
        rl_autoclose int fd = open_in(dir, layer_files[i], err);
        if (fd < 0) {
            r = -1;
            break;
        }
        char chain[RL_DIGEST_HEX + 1];
        if ((r = rl_layer_chain_id(*parent ? parent : NULL, cfg.diff_ids[i], chain, err)) < 0)
            break;
        rl_layer_source_t src = rl_layer_source_fd(&fd, layer_files[i]);
        src.expect_diff = cfg.diff_ids[i];
        rl_layer_job_t job;
        rl_layer_info_t info;
        if (rl_layer_create_start(s, chain, *parent ? parent : NULL, &src, &job, err) < 0) {
            rl_layer_job_abort(s, &job);
            r = -1;
            break;
        }
        if ((r = rl_layer_create_finish(s, &job, &info, err)) < 0) break;
        json_object_array_add(mlayers, rl_descriptor_json(rl_transport_layer_media_type(fd),
                                                          info.blob, info.blob_size));
        rl_strv_push(&chains, xstrdup(chain));
        size += info.size;
        memcpy(parent, chain, sizeof parent);
    }
    char cdig[RL_DIGEST_LEN + 1], mdig[RL_DIGEST_LEN + 1];
    if (r == 0) r = rl_sha256_data(config, clen, cdig, err);
    if (r == 0) {
        rl_autojson json_object *m = json_object_new_object();
        json_object_object_add(m, "schemaVersion", json_object_new_int(2));
        json_object_object_add(
            m, "mediaType", json_object_new_string("application/vnd.oci.image.manifest.v1+json"));
        json_object_object_add(
            m, "config",
            rl_descriptor_json("application/vnd.oci.image.config.v1+json", cdig, clen));
        json_object_object_add(m, "layers", json_object_get(mlayers));
        rl_autofree char *mtext =
            xstrdup(json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN));
        rl_autofree char *ctext = xstrndup(config, clen);
        r = rl_sha256_data(mtext, strlen(mtext), mdig, err);
        char *digests[] = {mdig, NULL};
        rl_store_image_t img = {.id = (char *)rl_digest_hex(cdig),
                                .names = names,
                                .digests = digests,
                                .layers = chains,
                                .created = cfg.created,
                                .arch = cfg.arch,
                                .os = cfg.os,
                                .size = size};
        if (r == 0) r = rl_store_image_stage(s, &img, mtext, ctext, err);
        if (r == 0) batch_add(out, &img);
    }
    json_object_put(mlayers);
    rl_image_config_free(&cfg);
    return r;
}

/* docker-archive: manifest.json = [{"Config", "RepoTags", "Layers"}] */
static int load_docker(rl_store_t *s, const char *dir, json_object *man, batch_t *out,
                       rl_error_t *err)
{
    if (!json_object_is_type(man, json_type_array))
        return rl_error_set(err, 0, "manifest.json: expected an array");
    for (size_t i = 0; i < json_object_array_length(man); i++) {
        rl_autofree char *path = rl_json_path_idx("manifest.json", i);
        json_object *e = json_object_array_get_idx(man, i);
        const char *cfgfile = NULL;
        rl_autostrv char **tags = NULL, **layers = NULL, **names = NULL;
        if (rl_json_expect(e, path, json_type_object, err) < 0 ||
            rl_json_str(e, path, "Config", true, &cfgfile, err) < 0 ||
            rl_json_strv(e, path, "RepoTags", false, &tags, err) < 0 ||
            rl_json_strv(e, path, "Layers", true, &layers, err) < 0)
            return -1;
        for (size_t k = 0; tags && tags[k]; k++) {
            rl_ref_t ref;
            if (rl_ref_parse(tags[k], &ref, err) < 0) return -1;
            rl_ref_normalize(&ref);
            rl_strv_push(&names, rl_ref_string(&ref));
            rl_ref_free(&ref);
        }
        rl_autofree char *config = NULL;
        size_t clen = 0;
        if (read_in(dir, cfgfile, 8 << 20, &config, &clen, err) < 0 ||
            store_image(s, dir, config, clen, layers, names, out, err) < 0)
            return -1;
    }
    return 0;
}

static char *blob_path(const char *digest, rl_error_t *err)
{
    if (rl_digest_validate(digest, err) < 0) return NULL;
    return xasprintf("blobs/sha256/%s", rl_digest_hex(digest));
}

/* oci-archive: index.json → manifests (→ an index → our platform). */
static int load_oci_manifest(rl_store_t *s, const char *dir, const rl_descriptor_t *d, char **names,
                             batch_t *out, rl_error_t *err)
{
    rl_autofree char *mp = blob_path(d->digest, err);
    rl_autofree char *text = NULL;
    size_t len = 0;
    rl_manifest_t m;
    if (!mp || read_in(dir, mp, 4 << 20, &text, &len, err) < 0 ||
        rl_manifest_parse(text, len, d->media_type, &m, err) < 0)
        return -1;
    int r = 0;
    if (m.is_index) {
        const rl_descriptor_t *sel = rl_manifest_select(&m, NULL, err);
        r = sel ? load_oci_manifest(s, dir, sel, names, out, err) : -1;
        rl_manifest_clear(&m);
        return r;
    }
    rl_autofree char *cp = blob_path(m.config.digest, err);
    rl_autofree char *config = NULL;
    size_t clen = 0;
    rl_autostrv char **layers = NULL;
    for (size_t i = 0; i < m.n_layers; i++) {
        char *lp = blob_path(m.layers[i].digest, err);
        if (!lp)
            r = -1;
        else
            rl_strv_push(&layers, lp);
    }
    if (r == 0 && (!cp || read_in(dir, cp, 8 << 20, &config, &clen, err) < 0)) r = -1;
    if (r == 0)
        r = store_image(s, dir, config, clen, layers ? layers : (char *[]){NULL}, names, out, err);
    rl_manifest_clear(&m);
    return r;
}

static int load_oci(rl_store_t *s, const char *dir, const char *text, size_t len, batch_t *out,
                    rl_error_t *err)
{
    rl_manifest_t idx;
    if (rl_manifest_parse(text, len, "application/vnd.oci.image.index.v1+json", &idx, err) < 0)
        return rl_error_wrap(err, "index.json");
    rl_autojson json_object *j = rl_json_parse(text, len, "index.json", err);
    json_object *arr = NULL;
    json_object_object_get_ex(j, "manifests", &arr);
    int r = 0;
    for (size_t i = 0; r == 0 && i < idx.n_layers; i++) {
        json_object *ann = NULL, *name = NULL;
        rl_autostrv char **names = NULL;
        json_object *e = json_object_array_get_idx(arr, i);
        if (json_object_object_get_ex(e, "annotations", &ann) &&
            json_object_object_get_ex(ann, "org.opencontainers.image.ref.name", &name)) {
            rl_error_t e2 = RL_ERROR_INIT;
            char *full = rl_transport_local_name(json_object_get_string(name), &e2);
            if (full) rl_strv_push(&names, full);
            rl_error_clear(&e2);
        }
        r = load_oci_manifest(s, dir, &idx.layers[i], names, out, err);
    }
    rl_manifest_clear(&idx);
    return r;
}

/* All names of the archive in one write, then what podman prints. */
static int commit(rl_store_t *s, const batch_t *b, rl_strbuf_t *out, rl_error_t *err)
{
    if (rl_store_image_commit_all(s, b->v, b->n, err) < 0) return -1;
    for (size_t i = 0; i < b->n; i++) {
        for (char **v = b->v[i].names; *v; v++)
            rl_strbuf_appendf(out, "Loaded image: %s\n", *v);
        if (!b->v[i].names[0]) rl_strbuf_appendf(out, "Loaded image: %s\n", b->v[i].id);
    }
    return 0;
}

int rl_transport_load(rl_store_t *s, const char *file, rl_strbuf_t *out, rl_error_t *err)
{
    batch_t batch = {0};
    rl_autofree char *dir = rl_store_tmp_path(s, "load");
    rl_fs_rm_rf(dir, err);
    if (mkdir(dir, 0700) < 0) return rl_error_set(err, errno, "mkdir '%s'", dir);
    rl_autoclose int hold = rl_store_hold_layers(s, err);
    int r = hold < 0 ? -1 : unpack(file, dir, err);
    rl_autofree char *text = NULL;
    size_t len = 0;
    rl_error_t ignore = RL_ERROR_INIT;
    if (r == 0 && read_in(dir, "manifest.json", 4 << 20, &text, &len, &ignore) == 0) {
        rl_autojson json_object *man = rl_json_parse(text, len, "manifest.json", err);
        r = man ? load_docker(s, dir, man, &batch, err) : -1;
    } else if (r == 0) {
        rl_error_clear(&ignore);
        if (read_in(dir, "index.json", 4 << 20, &text, &len, &ignore) == 0)
            r = load_oci(s, dir, text, len, &batch, err);
        else
            r = rl_error_set(
                err, 0,
                "'%s': neither a docker-archive (manifest.json) nor an oci-archive (index.json)",
                file);
    }
    rl_error_clear(&ignore);
    if (r == 0) r = commit(s, &batch, out, err);
    batch_free(&batch);
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_rm_rf(dir, &e) < 0) rl_error_clear(&e);
    return r;
}
