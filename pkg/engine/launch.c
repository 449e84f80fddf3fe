#include "launch.h"

#include <stdio.h>
#include <string.h>

#include "pkg/monitor/monitor.h"
#include "pkg/runtime/rootfs.h"
#include "pkg/spec/userns.h"
#include "pkg/util/cleanup.h"
#include "rootless/rundir.h"
#include "storage/containers.h"
#include "storage/driver.h"
#include "storage/layers.h"

char *rl_engine_state_root(rl_error_t *err)
{
    rl_autofree char *base = rl_rundir_base(err);
    return base ? xasprintf("%s/rl/containers", base) : NULL;
}

/* What a launch needs that outlives the calls building it. */
typedef struct launch {
    rl_ctr_rec_t rec;
    rl_userns_maps_t maps;
    char *root, *bundle, *upper, *work, *uidmapping, *gidmapping;
    char **lower;
    rl_rootfs_t rootfs;
} launch_t;

static void launch_clear(launch_t *l)
{
    rl_ctr_rec_clear(&l->rec);
    rl_userns_maps_clear(&l->maps);
    free(l->root), free(l->bundle), free(l->upper), free(l->work);
    free(l->uidmapping), free(l->gidmapping);
    rl_strv_free(l->lower);
}

/* keep-id: fuse-overlayfs shows the store's ids shifted (rootless/keepid.h) */
static int keep_id_mapping(launch_t *l, rl_error_t *err)
{
    rl_userns_t u;
    if (!l->rec.userns || rl_userns_parse(l->rec.userns, &u, err) < 0 || !u.keep_id)
        return err->msg ? -1 : 0;
    if (rl_userns_maps(&u, &l->maps, err) < 0) return -1;
    l->uidmapping = rl_idpair_fuse_option(l->maps.uid_pairs, l->maps.n_uid_pairs);
    l->gidmapping = rl_idpair_fuse_option(l->maps.gid_pairs, l->maps.n_gid_pairs);
    return 0;
}

static int build(rl_store_t *s, const char *id, launch_t *l, rl_error_t *err)
{
    if (rl_ctr_read(s, id, &l->rec, err) < 0) return -1;
    rl_rootfs_driver_t drv;
    if (rl_storage_driver_parse(l->rec.driver ? l->rec.driver : "overlay", &drv, err) < 0 ||
        keep_id_mapping(l, err) < 0 || !(l->root = rl_engine_state_root(err)))
        return rl_error_wrap(err, "container %.12s", id);
    l->lower = rl_layer_diff_dirs(s, l->rec.layers);
    l->bundle = rl_store_path(s, "containers/%s", id);
    l->upper = xasprintf("%s/upper", l->bundle);
    l->work = xasprintf("%s/work", l->bundle);
    l->rootfs = (rl_rootfs_t){.driver = drv,
                              .lower = l->lower,
                              .upper = l->upper,
                              .work = l->work,
                              .userxattr = s->rootless,
                              .uidmapping = l->uidmapping,
                              .gidmapping = l->gidmapping};
    return 0;
}

int rl_engine_launch(rl_store_t *s, const char *id, bool detach, rl_error_t *err)
{
    launch_t l = {0};
    int r = -1;
    if (build(s, id, &l, err) < 0) goto out;
    rl_monitor_opts_t o = {
        .s = s,
        .id = id,
        .create = {.root = l.root, .id = id, .bundle = l.bundle, .rootfs = &l.rootfs},
        .log_max_size = l.rec.log_max_size,
        .rm = l.rec.ephemeral};
    if (l.rec.log_driver && rl_log_driver_parse(l.rec.log_driver, &o.log_driver, err) < 0) goto out;
    r = detach ? rl_monitor_start(&o, err) : rl_monitor_foreground(&o, err);
out:
    launch_clear(&l);
    return r;
}
