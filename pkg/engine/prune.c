/* SPDX-License-Identifier: Apache-2.0 */
#include "prune.h"

#include <errno.h>
#include <string.h>
#include <sys/file.h>

#include "ctr.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "storage/images.h"

unsigned long long rl_engine_ctr_size(rl_store_t *s, const char *id, const char *driver)
{
    bool vfs = driver && !strcmp(driver, "vfs");
    rl_autofree char *p = rl_ctr_path(s, id, vfs ? "rootfs" : "upper");
    return rl_fs_du(p);
}

static bool in_use(const rl_ctr_state_t *st)
{
    /* running, or exited with its monitor waiting to restart it */
    return rl_ctr_state_live(st) == RL_CTR_RUNNING ||
           (rl_ctr_monitor_alive(st) && !st->stop_requested);
}

static bool idle(const rl_ctr_state_t *st)
{
    return !in_use(st);
}

int rl_engine_ctr_prune(rl_store_t *s, char ***removed, unsigned long long *bytes, rl_error_t *err)
{
    rl_ctr_rec_t *v;
    size_t n;
    *bytes = 0;
    rl_ctr_list(s, &v, &n);
    rl_autostrv char **go = xcalloc(1, sizeof(char *));
    int r = rl_engine_ctr_select(s, idle, &go, err);
    for (size_t i = 0; i < n && r == 0; i++) {
        if (!rl_strv_contains(go, v[i].id)) continue;
        unsigned long long size = rl_engine_ctr_size(s, v[i].id, v[i].driver);
        r = rl_engine_rm(s, v[i].id, false, 0, go, err);
        if (r == 0) {
            rl_strv_push(removed, xstrdup(v[i].id));
            *bytes += size;
        } else if (rl_error_is(err, RL_ERR_BUSY)) {
            /* a running container joins it: it stays, as with podman */
            rl_error_clear(err);
            r = 0;
        }
    }
    rl_ctr_list_free(v, n);
    return r;
}

static void df_containers(rl_store_t *s, rl_engine_df_row_t *c, char ***used_images)
{
    rl_ctr_rec_t *v;
    size_t n;
    rl_ctr_list(s, &v, &n);
    for (size_t i = 0; i < n; i++) {
        rl_ctr_state_t st;
        rl_error_t e = RL_ERROR_INIT;
        bool busy = false;
        if (rl_ctr_state_load(s, v[i].id, &st, &e) == 0) {
            busy = in_use(&st);
            rl_ctr_state_clear(&st);
        }
        rl_error_clear(&e);
        unsigned long long size = rl_engine_ctr_size(s, v[i].id, v[i].driver);
        c->total++;
        c->active += busy;
        c->size += size;
        if (!busy) c->reclaimable += size;
        rl_strv_push(used_images, xstrdup(v[i].image_id));
    }
    rl_ctr_list_free(v, n);
}

int rl_engine_df(rl_store_t *s, rl_engine_df_row_t *images, rl_engine_df_row_t *containers,
                 rl_error_t *err)
{
    memset(images, 0, sizeof *images);
    memset(containers, 0, sizeof *containers);
    rl_autostrv char **used = xcalloc(1, sizeof(char *));
    df_containers(s, containers, &used);
    rl_store_image_db_t db;
    if (rl_store_lock(s, LOCK_SH, err) < 0) return -1;
    if (rl_store_image_db_load(s, &db, err) < 0) {
        rl_store_unlock(s);
        return -1;
    }
    for (size_t i = 0; i < db.n; i++) {
        bool active = false;
        for (size_t k = 0; used[k] && !active; k++)
            active = !strcmp(used[k], db.v[i].id);
        images->total++;
        images->active += active;
        images->size += db.v[i].size;
        if (!active) images->reclaimable += db.v[i].size;
    }
    rl_store_image_db_free(&db);
    rl_store_unlock(s);
    return 0;
}
