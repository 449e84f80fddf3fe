/* SPDX-License-Identifier: Apache-2.0 */
/* Image → container → run (see run.h). The store lock is held only while
 * reading metadata and recording the container. */
#include "run.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "containers_conf.h"
#include "ctr.h"
#include "launch.h"
#include "names.h"
#include "spec_extras.h"
#include "pkg/image/passwd.h"
#include "pkg/transport/pull.h"
#include "pkg/network/netmode.h"
#include "pkg/network/portfwd.h"
#include "pkg/network/ports.h"
#include "pkg/runtime/rootfs.h"
#include "pkg/spec/edit.h"
#include "pkg/spec/userns.h"
#include "pkg/util/phase.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "storage/containers.h"
#include "storage/driver.h"
#include "storage/image_remove.h"
#include "storage/images.h"
#include "storage/layers.h"
#include "storage/vfs.h"
#include "pkg/util/platform.h"

int rl_engine_pull_policy_parse(const char *s, rl_engine_pull_policy_t *p, rl_error_t *err)
{
    static const char *const names[] = {"missing", "always", "never", "newer"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) return *p = (rl_engine_pull_policy_t)i, 0;
    return rl_error_setk(err, RL_ERR_INVALID, 0, "--pull '%s': use missing, always, never or newer",
                         s);
}

/* What the container is made of, read under the shared lock. */
typedef struct image_ref {
    rl_store_image_t img;
    rl_image_config_t cfg;
    char **lower; /* diff dirs, top first */
} image_ref_t;

static void image_ref_clear(image_ref_t *r)
{
    rl_store_image_clear(&r->img);
    rl_image_config_free(&r->cfg);
    rl_strv_free(r->lower);
}

static int copy_image(rl_store_t *s, const rl_store_image_db_t *db, int idx, image_ref_t *r,
                      rl_error_t *err)
{
    const rl_store_image_t *src = &db->v[idx];
    r->img = (rl_store_image_t){.id = xstrdup(src->id),
                                .names = rl_strv_dup(src->names),
                                .layers = rl_strv_dup(src->layers)};
    rl_autofree char *text = NULL;
    if (rl_store_image_read_file(s, src->id, "config.json", &text, err) < 0 ||
        rl_image_config_parse(text, strlen(text), &r->cfg, err) < 0)
        return rl_error_wrap(err, "image %.12s", src->id);
    r->lower = rl_layer_diff_dirs(s, src->layers);
    return 0;
}

static int pull(rl_store_t *s, const rl_engine_run_t *r, rl_error_t *err)
{
    rl_pull_opts_t o = {.image = r->image,
                        .platform = r->platform,
                        .tls_verify = r->tls_set ? r->tls_on : -1,
                        .progress = r->progress};
    rl_autofree char *id = NULL;
    return rl_transport_pull(s, &o, &id, err);
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
        rl_store_image_db_t db;
        if (rl_store_lock(s, LOCK_SH, err) < 0 || rl_store_image_db_load(s, &db, err) < 0)
            return -1;
        int idx = rl_store_image_db_find(&db, r->image, err);
        int ret = idx >= 0 ? copy_image(s, &db, idx, out, err) : -1;
        rl_store_image_db_free(&db);
        rl_store_unlock(s);
        if (idx >= 0 || r->pull == RL_PULL_NEVER || attempt == 1) return ret;
        if (!rl_error_is(err, RL_ERR_NOT_FOUND)) return -1;
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
                  rl_store_driver_t drv, const rl_net_mode_t *network, char **ports,
                  long long log_max, rl_error_t *err)
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
                            .driver = (char *)rl_store_driver_name(drv),
                            .layers = ir->img.layers,
                            .userns = (char *)r->opts.userns,
                            .log_driver = r->log_driver,
                            .log_max_size = log_max,
                            .restart = r->restart,
                            .sdnotify = r->sdnotify,
                            .pidfile = (char *)r->pidfile,
                            .conmon_pidfile = (char *)r->conmon_pidfile,
                            .network = *network,
                            .ports = ports,
                            .ephemeral = r->rm,
                            .has_stop_timeout = r->has_stop_timeout,
                            .stop_timeout = r->stop_timeout,
                            .tty = r->opts.tty,
                            .interactive = r->opts.interactive};
        if (rl_ctr_create(s, &rec, err) == 0) return 0;
        if (r->opts.name || attempt >= 20 || !rl_error_is(err, RL_ERR_EXISTS)) return -1;
        rl_error_clear(err);
    }
}

/* What one run decides before the container exists. */
typedef struct run_ctx {
    rl_store_t *s;
    const rl_engine_run_t *r;
    image_ref_t ir;
    rl_store_driver_t drv;
    rl_spec_userns_t userns;
    rl_spec_userns_maps_t maps; /* keep-id only */
    char **ports;               /* published, as recorded */
    rl_net_mode_t net;          /* --network, parsed */
    char *network;              /* --network as recorded: container:NAME as container:ID */
    bool shadowed[2];           /* keep-id: shadow_files copied with you added */
    long long log_max;          /* --log-opt max-size, else containers.conf's log_size_max */
    char id[65];
} run_ctx_t;

/* /etc files a keep-id container may get its own copy of (run_ctx.shadowed) */
static const char *const shadow_files[2] = {"passwd", "group"};

/* keep-id without -u: you, by name, as podman shows you. When the image
 * does not know your ids, its /etc/passwd and /etc/group are shadowed by
 * copies with an entry added (kept with the container). */
static int keep_id_user(run_ctx_t *c, rl_image_user_t *user, rl_error_t *err)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *name = pw ? pw->pw_name : "user", *home = pw ? pw->pw_dir : "/";
    rl_autofree char *passwd =
        rl_image_passwd_with(c->ir.lower, name, c->userns.uid, c->userns.gid, home);
    rl_autofree char *group = rl_image_group_with(c->ir.lower, name, c->userns.gid);
    const char *text[2] = {passwd, group};
    for (size_t i = 0; i < 2; i++) {
        if (!text[i]) continue;
        rl_autofree char *p = rl_ctr_path(c->s, c->id, shadow_files[i]);
        if (rl_fs_write_replace(p, text[i], strlen(text[i]), 0644, !c->r->rm, err) < 0) return -1;
        c->shadowed[i] = true;
    }
    if (passwd) {
        free(user->home);
        user->home = xstrdup(home);
    }
    return 0;
}

/* --init and --sdnotify=container */
static int add_extras(run_ctx_t *c, json_object *spec, rl_error_t *err)
{
    const rl_engine_run_t *r = c->r;
    if (r->init) {
        rl_autofree char *init = rl_engine_find_init(r->init_path, err);
        if (!init) return -1;
        rl_engine_spec_init(spec, init);
    }
    const char *notify = getenv("NOTIFY_SOCKET");
    bool container = r->sdnotify == RL_SDNOTIFY_CONTAINER;
    if (container && notify && *notify && rl_engine_spec_notify(spec, notify, err) < 0) return -1;
    return 0;
}

static int write_spec(run_ctx_t *c, const char *rootfs, rl_error_t *err)
{
    rl_image_user_t user;
    /* keep-id: you, unless -u says otherwise (as podman) */
    char keep[32];
    snprintf(keep, sizeof keep, "%u:%u", c->userns.uid, c->userns.gid);
    rl_spec_run_opts_t opts = c->r->opts;
    opts.network = c->network; /* container:NAME resolved */
    const char *who = c->r->opts.user ? c->r->opts.user : c->userns.keep_id ? keep : c->ir.cfg.user;
    if (rl_image_user_resolve(c->ir.lower, who, &user, err) < 0) return -1;
    rl_autojson json_object *spec = NULL;
    bool add_you = c->userns.keep_id && !c->r->opts.user;
    if (!add_you || keep_id_user(c, &user, err) == 0)
        spec = rl_spec_build(&c->ir.cfg, &opts, &user, c->userns.keep_id ? &c->maps : NULL, rootfs,
                             c->id, err);
    rl_image_user_clear(&user);
    if (!spec) return -1;
    for (size_t i = 0; i < 2; i++) {
        if (!c->shadowed[i]) continue;
        rl_autofree char *src = rl_ctr_path(c->s, c->id, shadow_files[i]);
        rl_autofree char *dst = xasprintf("/etc/%s", shadow_files[i]);
        rl_spec_add_bind(spec, src, dst, false);
    }
    /* The container's files are synced unless --rm throws them away with it
     * (a crash loses a --rm container whatever was synced). */
    rl_autofree char *dir = rl_ctr_path(c->s, c->id, NULL);
    if (add_extras(c, spec, err) < 0 || rl_engine_spec_etc(spec, dir, &opts, !c->r->rm, err) < 0)
        return -1;
    rl_autofree char *p = rl_ctr_path(c->s, c->id, "config.json");
    return rl_spec_write(spec, p, !c->r->rm, err);
}

static int prepare(run_ctx_t *c, rl_error_t *err)
{
    rl_autofree char *dir = rl_ctr_path(c->s, c->id, NULL);
    const char *const overlay_dirs[] = {"upper", "work", "merged", NULL};
    const char *const vfs_dirs[] = {"rootfs", NULL};
    bool vfs = c->drv == RL_STORE_VFS;
    if (make_dirs(dir, vfs ? vfs_dirs : overlay_dirs, err) < 0) return -1;
    rl_autofree char *rootfs = xasprintf("%s/%s", dir, vfs ? "rootfs" : "merged");
    rl_idshift_t shift = {c->maps.uid_pairs, c->maps.gid_pairs, c->maps.n_uid_pairs,
                          c->maps.n_gid_pairs};
    if (vfs && rl_vfs_copy_layers(c->ir.lower, rootfs, c->userns.keep_id ? &shift : NULL, err) < 0)
        return -1;
    return write_spec(c, rootfs, err);
}

/* Host ports left to us (-P, -p PORT): picked now, as podman does at
 * create, so that every start of the container gets the same ones. They
 * are bound together (so distinct) and let go at once. */
static int pick_ports(rl_net_ports_t *ps, rl_error_t *err)
{
    rl_net_ports_t free_ = {.v = xcalloc(ps->n + 1, sizeof *ps->v)};
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].host_port == 0) free_.v[free_.n++] = ps->v[i];
    rl_net_portfwd_t *f = free_.n ? rl_net_portfwd_bind(&free_, err) : NULL;
    int r = free_.n && !f ? -1 : 0;
    for (size_t i = 0, j = 0; r == 0 && i < ps->n; i++)
        if (ps->v[i].host_port == 0) ps->v[i].host_port = free_.v[j++].host_port;
    rl_net_portfwd_free(f);
    rl_net_ports_clear(&free_);
    return r;
}

/* -p, -P, --expose: checked, and kept in the record's form */
static int ports(run_ctx_t *c, rl_error_t *err)
{
    const rl_engine_run_t *r = c->r;
    rl_net_ports_t ps = {0};
    int ret = rl_net_ports_resolve(&ps, r->publish, r->expose, c->ir.cfg.exposed_ports,
                                   r->publish_all, err);
    if (ret == 0 && ps.n && c->net.kind != RL_NET_SLIRP)
        ret = rl_error_set(err, 0,
                           "-p: published ports need the default network (slirp), not "
                           "--network %s",
                           r->opts.network);
    if (ret == 0) ret = pick_ports(&ps, err);
    for (size_t i = 0; ret == 0 && i < ps.n; i++)
        rl_strv_push(&c->ports, rl_net_port_format(&ps.v[i]));
    rl_net_ports_clear(&ps);
    return ret;
}

/* --network container:NAME joins that container's user namespace too:
 * its own --userns cannot apply. NAME is kept as the id (a rename must not
 * break it). */
static int network_mode(run_ctx_t *c, rl_error_t *err)
{
    const char *spec = c->r->opts.network;
    if (rl_net_mode_parse(spec, &c->net, err) < 0) return -1;
    if (c->net.kind != RL_NET_CONTAINER) {
        c->network = spec ? xstrdup(spec) : NULL;
        return 0;
    }
    char id[65];
    if (c->r->opts.userns)
        return rl_error_set(err, 0,
                            "--userns and --network %s conflict: the container joins that "
                            "container's user namespace",
                            spec);
    if (rl_engine_ctr_find(c->s, c->net.container, id, err) < 0)
        return rl_error_wrap(err, "--network %s", spec);
    c->network = xasprintf("container:%s", id);
    snprintf(c->net.container, sizeof c->net.container, "%s", id);
    return 0;
}

/* Image, driver and id mapping: everything that can fail before a record. */
static int decide(run_ctx_t *c, rl_error_t *err)
{
    rl_autofree char *reason = NULL;
    rl_engine_containers_conf_t conf;
    c->log_max = c->r->log_max_size;
    if (!c->log_max) {
        if (rl_engine_containers_conf_load(&conf, err) < 0) return -1;
        c->log_max = conf.log_size_max;
    }
    if (rl_spec_userns_parse(c->r->opts.userns, &c->userns, err) < 0 ||
        find_image(c->s, c->r, &c->ir, err) < 0 || network_mode(c, err) < 0 || ports(c, err) < 0 ||
        rl_store_driver(c->s, c->r->storage_driver, &c->drv, &reason, err) < 0)
        return -1;
    if (!c->userns.keep_id) return 0;
    rl_store_driver_keep_id(&c->drv, &reason);
    rl_debug("storage driver: %s (%s)", rl_store_driver_name(c->drv), reason);
    return rl_spec_userns_maps(&c->userns, &c->maps, err);
}

/* --rmi: the image goes unless another container uses it (then it stays,
 * quietly, as podman's) */
static void remove_image(rl_store_t *s, const image_ref_t *ir)
{
    rl_strbuf_t out = RL_STRBUF_INIT;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_store_image_remove(s, ir->img.id, false, &out, &e) < 0 && e.exit != 2)
        rl_warn("--rmi: %s", e.msg);
    rl_error_clear(&e);
    rl_strbuf_free(&out);
}

/* --replace: the container that has the name goes (removed by force) */
static int replace(rl_store_t *s, const char *name, rl_error_t *err)
{
    char id[65];
    if (rl_engine_ctr_find(s, name, id, err) < 0) {
        if (!rl_error_is(err, RL_ERR_NOT_FOUND)) return -1;
        rl_error_clear(err);
        return 0;
    }
    return rl_engine_rm(s, id, true, 0, NULL, err);
}

/* --cidfile: made before the container (one that exists is refused, as
 * podman: it may be another container's), the id written once recorded. */
static int cidfile_open(const char *path, rl_error_t *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
        return rl_error_setk(err, RL_ERR_EXISTS, 0,
                             "--cidfile '%s': the file exists (another container's?): remove it "
                             "or name another",
                             path);
    if (fd < 0) return rl_error_set(err, errno, "--cidfile '%s'", path);
    return fd;
}

int rl_engine_run(rl_store_t *s, const rl_engine_run_t *r, char **id_out, rl_error_t *err)
{
    run_ctx_t c = {.s = s, .r = r};
    rl_ctr_new_id(c.id);
    int code = -1, cid = -1;
    if (r->replace && r->opts.name && replace(s, r->opts.name, err) < 0) goto out;
    if (r->cidfile && (cid = cidfile_open(r->cidfile, err)) < 0) goto out;
    if (decide(&c, err) < 0) goto out;
    rl_phase("engine: image and options resolved");
    if (record(s, r, &c.ir, c.id, c.drv, &c.net, c.ports, c.log_max, err) < 0) goto out;
    rl_phase("engine: container recorded");
    if (cid >= 0 && rl_fs_write_all(cid, c.id, strlen(c.id)) < 0) {
        rl_error_set(err, errno, "--cidfile '%s'", r->cidfile);
        rl_error_t e = RL_ERROR_INIT;
        if (rl_ctr_remove(s, c.id, &e) < 0) rl_error_clear(&e);
        goto out;
    }
    code = prepare(&c, err);
    rl_phase("engine: rootfs dirs and spec written");
    if (code == 0 && !r->create_only) code = rl_engine_launch(s, c.id, &r->io, err);
    /* --rm: the monitor removes it once it has run */
    if (code < 0) {
        rl_error_t e = RL_ERROR_INIT;
        if (rl_ctr_remove(s, c.id, &e) < 0) rl_error_clear(&e);
    }
    if (code >= 0 && id_out) *id_out = xstrdup(c.id);
    if (code >= 0 && r->rmi && r->rm && !r->create_only && !r->io.detach) remove_image(s, &c.ir);
out:
    if (cid >= 0) {
        close(cid);
        if (code < 0) unlink(r->cidfile); /* no container: no id */
    }
    image_ref_clear(&c.ir);
    rl_spec_userns_maps_clear(&c.maps);
    rl_strv_free(c.ports);
    free(c.network);
    return code;
}
