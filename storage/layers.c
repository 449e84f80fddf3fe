/* SPDX-License-Identifier: Apache-2.0 */
/* Layer creation, lookup and removal (see layers.h). */
#include "layers.h"
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "pkg/util/lock.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"

#define ATTEMPTS 5

char *rl_layer_diff_path(const rl_store_t *s, const char *chain)
{
    return rl_store_path(s, "layers/%s/diff", chain);
}

int rl_layer_chain_id(const char *parent_hex, const char *diff_id, char out[RL_DIGEST_HEX + 1],
                      rl_error_t *err)
{
    if (!parent_hex || !*parent_hex) {
        snprintf(out, RL_DIGEST_HEX + 1, "%s", rl_digest_hex(diff_id));
        return 0;
    }
    char buf[2 * RL_DIGEST_LEN + 2], d[RL_DIGEST_LEN + 1];
    int n = snprintf(buf, sizeof buf, "sha256:%s %s", parent_hex, diff_id);
    if (rl_sha256_data(buf, (size_t)n, d, err) < 0) return -1;
    snprintf(out, RL_DIGEST_HEX + 1, "%s", rl_digest_hex(d));
    return 0;
}

static int fd_open(void *arg, rl_error_t *err)
{
    int fd = dup(*(int *)arg);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) return rl_error_set(err, errno, "read layer");
    return fd;
}

static int fd_close(void *arg, int fd, rl_error_t *err)
{
    (void)arg, (void)err;
    close(fd);
    return 0;
}

rl_layer_source_t rl_layer_source_fd(int *fd, const char *what)
{
    return (rl_layer_source_t){.open = fd_open, .close = fd_close, .arg = fd, .what = what};
}

bool rl_layer_exists(const rl_store_t *s, const char *hex)
{
    rl_autofree char *p = rl_store_path(s, "layers/%s/layer.json", hex);
    return rl_fs_exists(p);
}

char **rl_layer_diff_dirs(const rl_store_t *s, char *const *layers)
{
    size_t n = rl_strv_len(layers);
    char **dirs = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        dirs[i] = rl_layer_diff_path(s, layers[n - 1 - i]);
    return dirs;
}

static int lock_key(const rl_store_t *s, const char *key, int how, rl_error_t *err)
{
    rl_autofree char *p = rl_store_path(s, "locks/%s", key);
    return rl_lock_path(p, RL_LOCK_FILE_CREATE, how, err);
}

int rl_layer_lock(const rl_store_t *s, const char *key, rl_error_t *err)
{
    return lock_key(s, key, LOCK_EX, err);
}

int rl_layer_trylock(const rl_store_t *s, const char *key, rl_error_t *err)
{
    return lock_key(s, key, LOCK_EX | LOCK_NB, err);
}

int rl_layer_read_info(const rl_store_t *s, const char *hex, rl_layer_info_t *info, rl_error_t *err)
{
    rl_autofree char *p = rl_store_path(s, "layers/%s/layer.json", hex);
    rl_autojson json_object *j = rl_json_parse_file(p, 1 << 16, err);
    if (!j) return -1;
    const char *diff = NULL, *blob = NULL, *parent = NULL;
    memset(info, 0, sizeof *info);
    snprintf(info->id, sizeof info->id, "%s", hex);
    if (rl_json_str(j, "", "diff_id", true, &diff, err) < 0 ||
        rl_json_str(j, "", "blob", false, &blob, err) < 0 ||
        rl_json_str(j, "", "parent", false, &parent, err) < 0 ||
        rl_json_u64(j, "", "blob_size", &info->blob_size, err) < 0 ||
        rl_json_u64(j, "", "size", &info->size, err) < 0)
        return rl_error_wrap(err, "'%s'", p);
    snprintf(info->diff_id, sizeof info->diff_id, "%s", diff);
    snprintf(info->blob, sizeof info->blob, "%s", blob ? blob : "");
    snprintf(info->parent, sizeof info->parent, "%s", parent ? parent : "");
    return 0;
}

uint64_t rl_layer_size(const rl_store_t *s, const char *hex)
{
    rl_layer_info_t info;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_layer_read_info(s, hex, &info, &err) < 0) {
        rl_error_clear(&err);
        return 0;
    }
    return info.size;
}

/* The child: extract, retrying from scratch when the source says so. */
typedef struct child_arg {
    const rl_layer_source_t *src;
    const char *tmp;
    bool rootless;
} child_arg_t;

static int reset_dir(const char *dir, rl_error_t *err)
{
    if (rl_fs_rm_rf(dir, err) < 0) return -1;
    if (mkdir(dir, 0755) < 0) return rl_error_set(err, errno, "mkdir '%s'", dir);
    return 0;
}

static int extract_child(void *a, rl_strbuf_t *out, rl_error_t *err)
{
    child_arg_t *c = a;
    const rl_layer_source_t *src = c->src;
    rl_autofree char *diff = xasprintf("%s/diff", c->tmp);
    rl_extract_result_t res;
    for (int attempt = 1;; attempt++) {
        if (reset_dir(diff, err) < 0) return -1;
        int fd = src->open(src->arg, err);
        if (fd < 0) return -1;
        rl_extract_opts_t o = {.in_fd = fd,
                               .dest = diff,
                               .limit = rl_extract_default_limit(),
                               .rootless = c->rootless};
        rl_error_t xerr = RL_ERROR_INIT;
        int xr = rl_extract_layer(&o, &res, &xerr);
        int cr = src->close(src->arg, fd, err);
        if (cr == 1 && attempt < ATTEMPTS) {
            rl_error_clear(&xerr);
            rl_error_clear(err);
            struct timespec ts = {0, (long)(200000000L << (attempt - 1))};
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec = ts.tv_nsec / 1000000000L, ts.tv_nsec = 0;
            nanosleep(&ts, NULL);
            continue;
        }
        if (cr != 0) {
            rl_error_clear(&xerr);
            return -1;
        }
        if (xr < 0) {
            *err = xerr;
            return -1;
        }
        break;
    }
    if (src->expect_blob && strcmp(res.blob, src->expect_blob))
        return rl_error_set(err, 0, "blob %s: digest mismatch (got %s): nothing stored",
                            src->expect_blob, res.blob);
    if (src->expect_diff && strcmp(res.diff, src->expect_diff))
        return rl_error_set(err, 0,
                            "layer %s: uncompressed digest %s does not match the image "
                            "config's diff_id %s: nothing stored",
                            src->what, res.diff, src->expect_diff);
    rl_strbuf_appendf(out, "%s %s %llu %llu %u", res.blob, res.diff,
                      (unsigned long long)res.blob_size, (unsigned long long)res.tar_size,
                      res.devices_skipped);
    return 0;
}

/* Every staging dir of this key is stale once we hold its lock: whoever
 * made it (any pid, this machine or another) was killed before finishing.
 * Removing takes a storage child, so only when there is one. */
static void remove_stale_staging(rl_store_t *s, const char *key)
{
    rl_autofree char *tmp = rl_store_path(s, "tmp");
    rl_autofree char *prefix = xasprintf("layer-%s-", key);
    DIR *d = opendir(tmp);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix))) continue;
        rl_autofree char *p = rl_store_path(s, "tmp/%s", e->d_name);
        rl_error_t err = RL_ERROR_INIT;
        rl_debug("removing stale staging dir '%s'", p);
        if (rl_userns_rm_rf(p, &err) < 0) rl_warn("cannot remove '%s': %s", p, err.msg);
        rl_error_clear(&err);
    }
    closedir(d);
}

int rl_layer_create_start(rl_store_t *s, const char *hex, const char *parent,
                          const rl_layer_source_t *src, rl_layer_job_t *job, rl_error_t *err)
{
    memset(job, 0, sizeof *job);
    job->lock_fd = -1;
    job->child.fd = -1;
    job->src = src;
    job->parent = parent ? xstrdup(parent) : NULL;
    char key[80];
    static unsigned seq;
    if (hex)
        snprintf(key, sizeof key, "%s", hex);
    else
        snprintf(key, sizeof key, "import%d_%u_%ld", (int)getpid(), seq++, (long)time(NULL));
    job->hex = hex ? xstrdup(hex) : NULL;
    /* Another rl may be making this very layer: wait, then look again. */
    job->lock_fd = rl_layer_lock(s, key, err);
    if (job->lock_fd < 0) return -1;
    if (hex && rl_layer_exists(s, hex)) {
        job->present = true;
        return 0;
    }
    remove_stale_staging(s, key);
    job->tmp = rl_store_path(s, "tmp/layer-%s-%d", key, (int)getpid());
    if (mkdir(job->tmp, 0700) < 0) return rl_error_set(err, errno, "mkdir '%s'", job->tmp);
    /* The child gets its own copy when it is forked, inside this call. */
    child_arg_t a = {.src = src, .tmp = job->tmp, .rootless = s->rootless};
    return rl_userns_start(extract_child, &a, &job->child, err);
}

static int write_info(const char *dir, const rl_layer_info_t *info, rl_error_t *err)
{
    rl_autojson json_object *j = json_object_new_object();
    json_object_object_add(j, "id", json_object_new_string(info->id));
    if (*info->parent) json_object_object_add(j, "parent", json_object_new_string(info->parent));
    json_object_object_add(j, "diff_id", json_object_new_string(info->diff_id));
    json_object_object_add(j, "blob", json_object_new_string(info->blob));
    json_object_object_add(j, "blob_size", json_object_new_int64((int64_t)info->blob_size));
    json_object_object_add(j, "size", json_object_new_int64((int64_t)info->size));
    const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
    rl_autofree char *p = xasprintf("%s/layer.json", dir);
    return rl_fs_write_atomic(p, text, strlen(text), 0600, err);
}

static int parse_report(const char *text, rl_layer_info_t *info, unsigned *devices)
{
    unsigned long long bs, ts;
    if (sscanf(text, "%71s %71s %llu %llu %u", info->blob, info->diff_id, &bs, &ts, devices) != 5)
        return -1;
    info->blob_size = bs, info->size = ts;
    return 0;
}

int rl_layer_create_finish(rl_store_t *s, rl_layer_job_t *job, rl_layer_info_t *info,
                           rl_error_t *err)
{
    memset(info, 0, sizeof *info);
    if (job->present) {
        int r = rl_layer_read_info(s, job->hex, info, err);
        rl_layer_job_abort(s, job);
        return r;
    }
    rl_strbuf_t out = {0};
    int r = rl_userns_wait(&job->child, &out, err);
    job->child.pid = 0;
    unsigned devices = 0;
    if (r == 0 && parse_report(rl_strbuf_str(&out), info, &devices) < 0)
        r = rl_error_set(err, 0, "storage child: bad report '%s'", rl_strbuf_str(&out));
    rl_strbuf_free(&out);
    if (r < 0) {
        rl_layer_job_abort(s, job);
        return -1;
    }
    if (devices)
        rl_warn("layer %s: skipped %u device node%s (a rootless container cannot create them)",
                job->src->what, devices, devices == 1 ? "" : "s");
    snprintf(info->parent, sizeof info->parent, "%s", job->parent ? job->parent : "");
    if (rl_layer_chain_id(job->parent, info->diff_id, info->id, err) < 0) {
        rl_layer_job_abort(s, job);
        return -1;
    }
    rl_autofree char *dest = rl_store_path(s, "layers/%s", info->id);
    if (!job->hex && info->id[0] && rl_layer_exists(s, info->id)) {
        rl_layer_job_abort(s, job); /* imported before: keep the stored one */
        return 0;
    }
    if (write_info(job->tmp, info, err) < 0 ||
        (rename(job->tmp, dest) < 0 && rl_error_set(err, errno, "rename layer into '%s'", dest))) {
        rl_layer_job_abort(s, job);
        return -1;
    }
    free(job->tmp);
    job->tmp = NULL;
    rl_layer_job_abort(s, job);
    return 0;
}

void rl_layer_job_abort(rl_store_t *s, rl_layer_job_t *job)
{
    (void)s;
    if (job->child.pid > 0) {
        rl_error_t e = RL_ERROR_INIT;
        kill(job->child.pid, SIGKILL);
        rl_userns_wait(&job->child, NULL, &e);
        rl_error_clear(&e);
        job->child.pid = 0;
    }
    if (job->tmp) {
        rl_error_t e = RL_ERROR_INIT;
        if (rl_userns_rm_rf(job->tmp, &e) < 0) rl_error_clear(&e);
        free(job->tmp);
        job->tmp = NULL;
    }
    if (job->lock_fd >= 0) close(job->lock_fd);
    job->lock_fd = -1;
    free(job->hex);
    free(job->parent);
    job->hex = job->parent = NULL;
}

int rl_layer_remove(rl_store_t *s, const char *hex, rl_error_t *err)
{
    rl_autofree char *p = rl_store_path(s, "layers/%s", hex);
    rl_autofree char *tmp = rl_store_path(s, "tmp/rm-%s-%d", hex, (int)getpid());
    /* Rename first: a half-removed layer must never look whole. */
    if (rename(p, tmp) < 0) {
        if (errno == ENOENT) return 0;
        return rl_error_set(err, errno, "remove layer '%s'", p);
    }
    return rl_userns_rm_rf(tmp, err);
}
