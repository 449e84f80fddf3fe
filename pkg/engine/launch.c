/* SPDX-License-Identifier: Apache-2.0 */
#include "launch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctr.h"
#include "pkg/monitor/attach.h"
#include "pkg/monitor/monitor.h"
#include "pkg/network/netmode.h"
#include "pkg/network/plan.h"
#include "pkg/network/portfwd.h"
#include "pkg/runtime/netdev.h"
#include "pkg/runtime/rootfs.h"
#include "pkg/spec/edit.h"
#include "pkg/spec/userns.h"
#include "pkg/util/phase.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
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
    rl_spec_userns_maps_t maps;
    char *root, *bundle, *upper, *work, *uidmapping, *gidmapping;
    char **lower;
    rl_rootfs_t rootfs;
    rl_net_plan_t plan;    /* slirp: the container's network */
    rl_net_ports_t ports;  /* published, host ports as bound */
    rl_net_portfwd_t *fwd; /* their listeners (the monitor has its own copies) */
} launch_t;

static void launch_clear(launch_t *l)
{
    rl_ctr_rec_clear(&l->rec);
    rl_spec_userns_maps_clear(&l->maps);
    free(l->root), free(l->bundle), free(l->upper), free(l->work);
    free(l->uidmapping), free(l->gidmapping);
    rl_strv_free(l->lower);
    rl_net_portfwd_free(l->fwd);
    rl_net_ports_clear(&l->ports);
}

/* keep-id: fuse-overlayfs shows the store's ids shifted (rootless/keepid.h) */
static int keep_id_mapping(launch_t *l, rl_error_t *err)
{
    rl_spec_userns_t u;
    if (!l->rec.userns || rl_spec_userns_parse(l->rec.userns, &u, err) < 0 || !u.keep_id)
        return err->msg ? -1 : 0;
    if (rl_spec_userns_maps(&u, &l->maps, err) < 0) return -1;
    l->uidmapping = rl_idpair_fuse_option(l->maps.uid_pairs, l->maps.n_uid_pairs);
    l->gidmapping = rl_idpair_fuse_option(l->maps.gid_pairs, l->maps.n_gid_pairs);
    return 0;
}

/* --network container:ID: that container's user and network namespaces,
 * by its pid now (so it must run), written into the spec for this start. */
static int join_network(rl_store_t *s, launch_t *l, rl_error_t *err)
{
    rl_ctr_rec_t tr;
    rl_ctr_state_t ts;
    if (rl_engine_ctr_get(s, l->rec.network.container, &tr, &ts, err) < 0)
        return rl_error_wrap(err, "--network container:%.12s", l->rec.network.container);
    bool running = rl_ctr_state_live(&ts) == RL_CTR_RUNNING;
    pid_t pid = ts.pid;
    if (!running)
        rl_error_set(err, 0,
                     "--network container:%s: that container is not running; start it first",
                     tr.name);
    rl_ctr_rec_clear(&tr);
    rl_ctr_state_clear(&ts);
    if (!running) return -1;
    rl_autofree char *p = xasprintf("%s/config.json", l->bundle);
    static const rl_spec_ns_type_t joined[] = {RL_NS_USER, RL_NS_NET};
    return rl_spec_file_join(p, joined, 2, pid, err);
}

/* The store's driver decides how the executor mounts the root. */
static rl_rootfs_driver_t rootfs_driver(rl_store_driver_t d)
{
    switch (d) {
    case RL_STORE_FUSE_OVERLAYFS:
        return RL_ROOTFS_FUSE_OVERLAYFS;
    case RL_STORE_VFS:
        return RL_ROOTFS_VFS;
    default:
        return RL_ROOTFS_OVERLAY;
    }
}

static int build(rl_store_t *s, const char *id, launch_t *l, rl_error_t *err)
{
    if (rl_ctr_read(s, id, &l->rec, err) < 0) return -1;
    l->bundle = rl_ctr_path(s, id, NULL);
    if (l->rec.network.kind == RL_NET_CONTAINER && join_network(s, l, err) < 0) return -1;
    rl_store_driver_t drv;
    if (rl_store_driver_parse(l->rec.driver ? l->rec.driver : "overlay", &drv, err) < 0 ||
        keep_id_mapping(l, err) < 0 || !(l->root = rl_engine_state_root(err)))
        return rl_error_wrap(err, "container %.12s", id);
    l->lower = rl_layer_diff_dirs(s, l->rec.layers);
    l->upper = xasprintf("%s/upper", l->bundle);
    l->work = xasprintf("%s/work", l->bundle);
    l->rootfs = (rl_rootfs_t){.driver = rootfs_driver(drv),
                              .lower = l->lower,
                              .upper = l->upper,
                              .work = l->work,
                              .userxattr = s->rootless,
                              .volatile_upper = l->rec.ephemeral,
                              .uidmapping = l->uidmapping,
                              .gidmapping = l->gidmapping};
    return 0;
}

/* Published ports: bound here, before the container exists, so that a
 * busy one fails the start with nothing started (pkg/network/portfwd.h). */
static int publish(launch_t *l, rl_mon_opts_t *o, rl_error_t *err)
{
    for (size_t i = 0; l->rec.ports && l->rec.ports[i]; i++)
        if (rl_net_ports_parse(&l->ports, l->rec.ports[i], err) < 0)
            return rl_error_wrap(err, "container %.12s", l->rec.id);
    /* the forwarder also carries outbound TCP (pkg/runtime/outbound.h) */
    if (!(l->fwd = rl_net_portfwd_bind(&l->ports, err))) return -1;
    o->fwd = l->fwd;
    o->ports = &l->ports;
    return 0;
}

/* slirp: the network pkg/network plans (plan.h), its container end made by
 * the executor, libslirp in the monitor on the tap's fd */
static int network_opts(launch_t *l, rl_mon_opts_t *o, rl_error_t *err)
{
    if (l->rec.network.kind != RL_NET_SLIRP) return 0;
    if (publish(l, o, err) < 0) return -1;
    rl_net_plan_slirp(&l->rec.network, l->ports.n > 0, &l->plan);
    o->create.net = &l->plan;
    o->slirp = (rl_net_slirp_opts_t){.tap_fd = -1, .plan = &l->plan};
    return 0;
}

static int monitor_opts(launch_t *l, rl_mon_opts_t *o, rl_error_t *err)
{
    const rl_ctr_rec_t *r = &l->rec;
    o->log_max_size = r->log_max_size;
    o->rm = r->ephemeral;
    o->tty = r->tty;
    o->interactive = r->interactive;
    o->attach_fd = o->attach_peer = -1;
    o->pidfile = r->pidfile;
    o->monitor_pidfile = r->conmon_pidfile;
    /* sdnotify: conmon says READY once the container runs; container
     * leaves READY to it (its spec has the socket); both say MAINPID */
    const char *notify = getenv("NOTIFY_SOCKET");
    bool ignore = r->sdnotify == RL_SDNOTIFY_IGNORE;
    o->notify_socket = notify && *notify && !ignore ? notify : NULL;
    o->notify_ready = r->sdnotify == RL_SDNOTIFY_CONMON;
    o->log_driver = r->log_driver;
    o->restart = r->restart;
    return network_opts(l, o, err);
}

/* The monitor detached, this process its first attached client: what
 * podman does for -it, so the detach keys can leave it running. */
static int run_attached(const rl_mon_opts_t *mo, const rl_engine_io_t *io, rl_error_t *err)
{
    rl_mon_attach_opts_t a = {
        .tty = mo->tty, .stdin_on = io->stdin_on, .sig_proxy = !io->no_sig_proxy};
    if (rl_mon_detach_keys_parse(io->detach_keys ? io->detach_keys : RL_DETACH_KEYS_DEFAULT,
                                 &a.keys, err) < 0)
        return -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return rl_error_set(err, errno, "socketpair");
    rl_mon_opts_t o = *mo;
    o.attach_fd = sv[1];
    o.attach_peer = sv[0];
    int r = rl_mon_start(&o, err);
    close(sv[1]);
    a.fd = sv[0];
    if (r == 0) r = rl_mon_attach_client(&a, err);
    close(sv[0]);
    return r == RL_ATTACH_DETACHED ? 0 : r;
}

int rl_engine_launch(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err)
{
    launch_t l = {0};
    int r = -1;
    if (build(s, id, &l, err) < 0) goto out;
    rl_phase("launch: bundle built");
    rl_mon_opts_t o = {
        .s = s,
        .id = id,
        .create = {.root = l.root, .id = id, .bundle = l.bundle, .rootfs = &l.rootfs},
        .sig_proxy = !io->no_sig_proxy};
    if (monitor_opts(&l, &o, err) < 0) goto out;
    if (io->detach)
        r = rl_mon_start(&o, err);
    else if (o.tty && io->stdin_on && o.log_driver != RL_LOG_PASSTHROUGH)
        r = run_attached(&o, io, err);
    else
        r = rl_mon_foreground(&o, err);
out:
    launch_clear(&l);
    return r;
}

int rl_engine_attach(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err)
{
    rl_ctr_rec_t rec;
    if (rl_ctr_read(s, id, &rec, err) < 0) return -1;
    rl_mon_attach_opts_t a = {.tty = rec.tty,
                              .stdin_on = io->stdin_on && rec.interactive,
                              .sig_proxy = !io->no_sig_proxy && !rec.tty};
    rl_ctr_rec_clear(&rec);
    if (rl_mon_detach_keys_parse(io->detach_keys ? io->detach_keys : RL_DETACH_KEYS_DEFAULT,
                                 &a.keys, err) < 0)
        return -1;
    if ((a.fd = rl_mon_attach_connect(id, err)) < 0) return -1;
    int r = rl_mon_attach_client(&a, err);
    close(a.fd);
    return r == RL_ATTACH_DETACHED ? 0 : r;
}
