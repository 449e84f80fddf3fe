/* SPDX-License-Identifier: Apache-2.0 */
/* Container records (see containers.h). */
#include "containers.h"
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "rootless/userns.h"

void rl_ctr_new_id(char out[65])
{
    unsigned char b[32];
    if (getrandom(b, sizeof b, 0) != sizeof b) abort();
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The string fields, in container.json order; the first three required. */
// clang-format off
#define RL_REC_STR(X)                                                                      \
    X(id) X(name) X(image_id) X(image_name) X(created) X(driver) X(userns) X(pidfile)    \
    X(conmon_pidfile)
// clang-format on
#define RL_REC_KEY(f) #f,
#define RL_REC_OFF(f) offsetof(rl_ctr_rec_t, f),
static const char *const rec_keys[] = {RL_REC_STR(RL_REC_KEY)};
static const size_t rec_offs[] = {RL_REC_STR(RL_REC_OFF)};
#define N_REC_STR (sizeof rec_offs / sizeof rec_offs[0])

static char **rec_str(rl_ctr_rec_t *r, size_t i)
{
    return (char **)((char *)r + rec_offs[i]);
}

void rl_ctr_rec_clear(rl_ctr_rec_t *r)
{
    for (size_t i = 0; i < N_REC_STR; i++)
        free(*rec_str(r, i));
    rl_strv_free(r->layers);
    rl_strv_free(r->ports);
    memset(r, 0, sizeof *r);
}

char *rl_ctr_path(const rl_store_t *s, const char *id, const char *file)
{
    return file ? rl_store_path(s, "containers/%s/%s", id, file)
                : rl_store_path(s, "containers/%s", id);
}

/* The typed fields, kept in podman's words (absent: the default). */
static int read_policy(json_object *j, rl_ctr_rec_t *r, rl_error_t *err)
{
    const char *driver = NULL, *restart = NULL, *sdnotify = NULL, *network = NULL;
    if (rl_json_str(j, "", "log_driver", false, &driver, err) < 0 ||
        rl_json_str(j, "", "restart", false, &restart, err) < 0 ||
        rl_json_str(j, "", "sdnotify", false, &sdnotify, err) < 0 ||
        rl_json_str(j, "", "network", false, &network, err) < 0)
        return -1;
    r->log_driver = RL_LOG_K8S_FILE;
    r->sdnotify = RL_SDNOTIFY_CONTAINER;
    if ((driver && rl_ctr_log_driver_parse(driver, &r->log_driver, err) < 0) ||
        rl_ctr_restart_parse(restart, &r->restart, err) < 0 ||
        (sdnotify && rl_ctr_sdnotify_parse(sdnotify, &r->sdnotify, err) < 0) ||
        rl_net_mode_parse(network, &r->network, err) < 0)
        return -1;
    return 0;
}

static void write_policy(json_object *j, const rl_ctr_rec_t *r)
{
    if (r->log_driver != RL_LOG_K8S_FILE)
        json_object_object_add(j, "log_driver",
                               json_object_new_string(rl_ctr_log_driver_name(r->log_driver)));
    rl_autofree char *restart = rl_ctr_restart_format(&r->restart);
    if (restart) json_object_object_add(j, "restart", json_object_new_string(restart));
    if (r->sdnotify != RL_SDNOTIFY_CONTAINER)
        json_object_object_add(j, "sdnotify",
                               json_object_new_string(rl_ctr_sdnotify_name(r->sdnotify)));
    rl_autofree char *network = rl_net_mode_format(&r->network);
    if (network) json_object_object_add(j, "network", json_object_new_string(network));
}

int rl_ctr_read(rl_store_t *s, const char *id, rl_ctr_rec_t *r, rl_error_t *err)
{
    memset(r, 0, sizeof *r);
    rl_autofree char *p = rl_ctr_path(s, id, "container.json");
    rl_autojson json_object *j = rl_json_parse_file(p, 1 << 20, err);
    if (!j) return -1;
    const char *v[N_REC_STR] = {0};
    int64_t max = 0, stop_timeout = -1;
    /* "image" is the key for image_id (older records) */
    for (size_t i = 0; i < N_REC_STR; i++)
        if (rl_json_str(j, "", i == 2 ? "image" : rec_keys[i], i < 3, &v[i], err) < 0)
            return rl_error_wrap(err, "'%s'", p);
    if (rl_json_strv(j, "", "layers", false, &r->layers, err) < 0 ||
        rl_json_strv(j, "", "ports", false, &r->ports, err) < 0 ||
        rl_json_i64(j, "", "log_max_size", 0, INT64_MAX, &max, err) < 0 ||
        rl_json_i64(j, "", "stop_timeout", 0, 1 << 20, &stop_timeout, err) < 0 ||
        rl_json_bool(j, "", "rm", &r->ephemeral, err) < 0 ||
        rl_json_bool(j, "", "tty", &r->tty, err) < 0 ||
        rl_json_bool(j, "", "interactive", &r->interactive, err) < 0) {
        rl_strv_free(r->layers);
        rl_strv_free(r->ports);
        r->layers = r->ports = NULL;
        return rl_error_wrap(err, "'%s'", p);
    }
    if (read_policy(j, r, err) < 0) {
        rl_strv_free(r->layers);
        rl_strv_free(r->ports);
        r->layers = r->ports = NULL;
        return rl_error_wrap(err, "'%s'", p);
    }
    for (size_t i = 0; i < N_REC_STR; i++)
        *rec_str(r, i) = v[i] ? xstrdup(v[i]) : NULL;
    r->log_max_size = max;
    r->has_stop_timeout = stop_timeout >= 0;
    r->stop_timeout = r->has_stop_timeout ? (int)stop_timeout : 0;
    return 0;
}

/* Call fn on every readable container record; stops (and returns true)
 * when fn returns true. */
static bool each_record(rl_store_t *s, bool (*fn)(const rl_ctr_rec_t *r, void *arg), void *arg)
{
    rl_autofree char *dir = rl_store_path(s, "containers");
    DIR *d = opendir(dir);
    struct dirent *e;
    bool stop = false;
    while (d && !stop && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        rl_ctr_rec_t r;
        rl_error_t err = RL_ERROR_INIT;
        if (rl_ctr_read(s, e->d_name, &r, &err) < 0) {
            rl_error_clear(&err);
            continue;
        }
        stop = fn(&r, arg);
        rl_ctr_rec_clear(&r);
    }
    if (d) closedir(d);
    return stop;
}

static bool has_name(const rl_ctr_rec_t *r, void *arg)
{
    return !strcmp(r->name, (const char *)arg);
}

static bool name_taken(rl_store_t *s, const char *name)
{
    return each_record(s, has_name, (void *)name);
}

static char *rec_json(const rl_ctr_rec_t *r)
{
    rl_autojson json_object *j = json_object_new_object();
    for (size_t i = 0; i < N_REC_STR; i++) {
        const char *v = *rec_str((rl_ctr_rec_t *)r, i);
        if (v) json_object_object_add(j, i == 2 ? "image" : rec_keys[i], json_object_new_string(v));
    }
    write_policy(j, r);
    json_object_object_add(j, "log_max_size", json_object_new_int64(r->log_max_size));
    if (r->has_stop_timeout)
        json_object_object_add(j, "stop_timeout", json_object_new_int(r->stop_timeout));
    json_object_object_add(j, "rm", json_object_new_boolean(r->ephemeral));
    json_object_object_add(j, "tty", json_object_new_boolean(r->tty));
    json_object_object_add(j, "interactive", json_object_new_boolean(r->interactive));
    json_object_object_add(j, "layers", rl_json_new_strv((const char *const *)r->layers));
    if (r->ports)
        json_object_object_add(j, "ports", rl_json_new_strv((const char *const *)r->ports));
    return xstrdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
}

/* Under the exclusive lock: the image a new container names must still be
 * there (an rmi between lookup and record would leave it without layers). */
static bool image_present(rl_store_t *s, const char *id, rl_error_t *err)
{
    rl_store_image_db_t db;
    if (rl_store_image_db_load(s, &db, err) < 0) return false;
    bool found = false;
    for (size_t i = 0; i < db.n && !found; i++)
        found = !strcmp(db.v[i].id, id);
    rl_store_image_db_free(&db);
    if (!found)
        rl_error_set(err, 0, "image %.12s was removed while the container was being made", id);
    return found;
}

int rl_ctr_name_check(const char *name, rl_error_t *err)
{
    static const char more[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
    size_t n = strlen(name);
    if (n == 0 || n > 253 || !strchr(more, name[0]) || name[0] == '_' || name[0] == '.' ||
        name[0] == '-' || strspn(name, more) != n)
        return rl_error_set(err, 0,
                            "container name '%s': use letters, digits and _.- (starting with a "
                            "letter or digit), at most 253 characters",
                            name);
    return 0;
}

static int name_free(rl_store_t *s, const char *name, rl_error_t *err)
{
    if (rl_ctr_name_check(name, err) < 0) return -1;
    if (name_taken(s, name))
        return rl_error_setk(err, RL_ERR_EXISTS, 0,
                             "the container name '%s' is already in use: remove that container "
                             "or choose another name",
                             name);
    return 0;
}

static int check_new(rl_store_t *s, const rl_ctr_rec_t *r, rl_error_t *err)
{
    if (!image_present(s, r->image_id, err)) return -1;
    return name_free(s, r->name, err);
}

int rl_ctr_rename(rl_store_t *s, const char *id, const char *name, rl_error_t *err)
{
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    rl_ctr_rec_t r;
    int ret = -1;
    if (rl_ctr_read(s, id, &r, err) == 0) {
        if (strcmp(r.name, name) == 0 || name_free(s, name, err) == 0) {
            free(r.name);
            r.name = xstrdup(name);
            rl_autofree char *file = rl_ctr_path(s, id, "container.json");
            rl_autofree char *text = rec_json(&r);
            ret = rl_fs_write_atomic(file, text, strlen(text), 0600, err);
        }
        rl_ctr_rec_clear(&r);
    }
    rl_store_unlock(s);
    return ret;
}

int rl_ctr_create(rl_store_t *s, const rl_ctr_rec_t *r, rl_error_t *err)
{
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    int ret = -1;
    rl_autofree char *dir = rl_ctr_path(s, r->id, NULL);
    rl_autofree char *file = xasprintf("%s/container.json", dir);
    rl_autofree char *text = rec_json(r);
    if (check_new(s, r, err) == 0) {
        if (mkdir(dir, 0700) < 0)
            rl_error_set(err, errno, "mkdir '%s'", dir);
        else
            ret = rl_fs_write_replace(file, text, strlen(text), 0600, !r->ephemeral, err);
    }
    rl_store_unlock(s);
    return ret;
}

typedef struct users {
    const char *image;
    char **ids;
} users_t;

static bool collect_user(const rl_ctr_rec_t *r, void *arg)
{
    users_t *u = arg;
    if (!strcmp(r->image_id, u->image)) rl_strv_push(&u->ids, xstrdup(r->id));
    return false;
}

char **rl_ctr_using_image(rl_store_t *s, const char *image_id)
{
    users_t u = {image_id, xcalloc(1, sizeof(char *))};
    each_record(s, collect_user, &u);
    return u.ids;
}

typedef struct joiners {
    const char *id; /* of the container joined */
    char **ids;
} joiners_t;

static bool collect_joiner(const rl_ctr_rec_t *r, void *arg)
{
    joiners_t *j = arg;
    if (r->network.kind == RL_NET_CONTAINER && !strcmp(r->network.container, j->id))
        rl_strv_push(&j->ids, xstrdup(r->id));
    return false;
}

char **rl_ctr_joining(rl_store_t *s, const char *id)
{
    joiners_t j = {id, xcalloc(1, sizeof(char *))};
    each_record(s, collect_joiner, &j);
    return j.ids;
}

int rl_ctr_detach(rl_store_t *s, const char *id, pid_t remover, char **tmp_out, rl_error_t *err)
{
    rl_autofree char *dir = rl_ctr_path(s, id, NULL);
    /* named for the pid that removes it: a leftover once that pid is gone */
    char *tmp = rl_store_path(s, "tmp/rm-%s-%d", id, (int)remover);
    *tmp_out = NULL;
    if (rename(dir, tmp) < 0) {
        int e = errno;
        free(tmp);
        return e == ENOENT ? 0 : rl_error_set(err, e, "remove container '%s'", dir);
    }
    *tmp_out = tmp;
    return 0;
}

int rl_store_rm_detached(const char *tmp, int ns_fd, rl_error_t *err)
{
    /* Usually every file is the user's own (container root): no namespace
     * needed. Files of other container users need one. */
    rl_error_t plain = RL_ERROR_INIT;
    if (rl_fs_rm_rf(tmp, &plain) == 0) return 0;
    rl_error_clear(&plain);
    return rl_userns_rm_rf_in(tmp, ns_fd, err);
}

int rl_ctr_remove_in(rl_store_t *s, const char *id, int ns_fd, rl_error_t *err)
{
    rl_autofree char *tmp = NULL;
    if (rl_ctr_detach(s, id, getpid(), &tmp, err) < 0) return -1;
    return tmp ? rl_store_rm_detached(tmp, ns_fd, err) : 0;
}

int rl_ctr_remove(rl_store_t *s, const char *id, rl_error_t *err)
{
    return rl_ctr_remove_in(s, id, -1, err);
}

typedef struct list {
    rl_ctr_rec_t *v;
    size_t n;
} list_t;

static bool collect(const rl_ctr_rec_t *r, void *arg)
{
    list_t *l = arg;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    rl_ctr_rec_t *d = &l->v[l->n++];
    *d = *r; /* take the strings: each_record clears what it passed */
    memset((rl_ctr_rec_t *)r, 0, sizeof *r);
    return false;
}

int rl_ctr_list(rl_store_t *s, rl_ctr_rec_t **recs, size_t *n)
{
    list_t l = {0};
    each_record(s, collect, &l);
    *recs = l.v;
    *n = l.n;
    return 0;
}

void rl_ctr_list_free(rl_ctr_rec_t *recs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rl_ctr_rec_clear(&recs[i]);
    free(recs);
}
