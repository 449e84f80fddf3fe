/* SPDX-License-Identifier: Apache-2.0 */
/* `create` and `run`: the parent side of the setup sequence (DESIGN.md §1). */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "handshake.h"
#include "hooks.h"
#include "launch.h"
#include "mount.h"
#include "netdev.h"
#include "pkg/cgroups/cgroups.h"
#include "pkg/spec/userns.h"
#include "pkg/util/phase.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "state.h"
#include "sync.h"
#include "pkg/util/platform.h"

typedef struct parent {
    const rl_create_opts_t *o;
    const rl_create_run_t *run;
    rl_container_handle_t *out; /* a detached run's caller takes the container */
    rl_spec_t *spec;
    rl_launch_t launch;
    rl_cgroup_t *cgroup;
    pid_t child;     /* what clone returned */
    pid_t pid;       /* the container's init (differs after an extra fork) */
    int master;      /* pty master kept for a foreground run */
    rl_netfds_t net; /* slirp's fds, for the caller */
    bool dir_made;
} parent_t;

/* What needs a mount namespace of its own (as runc refuses it too), and
 * rl's own rootfs mount, which must never land in a shared one. */
static int check_shared_mntns(const parent_t *p, rl_error_t *err)
{
    const rl_spec_t *s = p->spec;
    const char *what = s->masked_paths[0]     ? "linux.maskedPaths"
                       : s->readonly_paths[0] ? "linux.readonlyPaths"
                       : s->root_readonly     ? "root.readonly"
                       : p->o->rootfs         ? "a layered rootfs"
                                              : NULL;
    /* the caller's mounts are not another user namespace's to change */
    if (!what && s->ns[RL_NS_USER].wanted) what = "a user namespace";
    if (!what) return 0;
    return rl_error_set(err, 0,
                        "linux.namespaces: %s needs a mount namespace of the container's own; "
                        "add {\"type\": \"mount\"}",
                        what);
}

static int check_options(parent_t *p, rl_error_t *err)
{
    const rl_spec_t *s = p->spec;
    if (!s->has_process)
        return rl_error_set(err, 0, "config.json: process: required to create a container");
    bool detached = !p->run->start || p->run->detach;
    if (s->process.terminal && detached && !p->o->console_socket && !p->out)
        return rl_error_set(err, 0,
                            "process.terminal is set: a detached container needs "
                            "--console-socket to receive the terminal");
    if (!s->process.terminal && p->o->console_socket)
        return rl_error_set(err, 0, "--console-socket given but process.terminal is false");
    if (!s->ns[RL_NS_MOUNT].wanted && check_shared_mntns(p, err) < 0) return -1;
    if (!s->ns[RL_NS_USER].wanted && geteuid() != 0)
        return rl_error_set(err, 0,
                            "linux.namespaces: running as an unprivileged user needs a "
                            "user namespace (generate a spec with 'rl oci spec --rootless')");
    return 0;
}

/* fds 3..3+N-1 are the caller's to pass on; if some are not open, take
 * them with /dev/null so our own sockets never land there. */
static void reserve_preserved_fds(int n)
{
    for (int fd = 3; fd < 3 + n; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) continue;
        int nfd = open("/dev/null", O_RDWR);
        if (nfd >= 0 && nfd != fd) {
            dup2(nfd, fd);
            close(nfd);
        }
    }
}

static int listen_start_socket(parent_t *p, rl_error_t *err)
{
    rl_autofree char *dir = rl_state_path(p->o->root, p->o->id, NULL);
    rl_autoclose int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return rl_error_set(err, errno, "open '%s'", dir);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    /* The state dir path can exceed sun_path: bind through /proc/self/fd. */
    snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/start.sock", dfd);
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (s < 0) return rl_error_set(err, errno, "socket");
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 1) < 0) {
        close(s);
        return rl_error_set(err, errno, "start socket in '%s'", dir);
    }
    p->launch.listen_fd = s;
    return 0;
}

static int prepare(parent_t *p, rl_error_t *err)
{
    rl_launch_t *l = &p->launch;
    l->spec = p->spec;
    l->listen_fd = -1;
    l->preserve_fds = p->o->preserve_fds;
    l->no_pivot = p->o->no_pivot;
    l->rootfs = p->o->rootfs;
    l->stdio = p->run->stdio;
    l->tap = p->o->net;
    /* while the host's libraries are in reach */
    if (l->tap && rl_netdev_load(l->tap, err) < 0) return -1;
    if (p->spec->seccomp) {
        if (rl_seccomp_compile_cached(p->spec->seccomp, "linux.seccomp", &l->seccomp, err) < 0)
            return rl_error_wrap(err, "config.json");
        l->has_seccomp = true;
    }
    if (rl_ns_plan(p->spec, &l->ns, err) < 0) return -1;
    if (!p->run->start && listen_start_socket(p, err) < 0) return -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return rl_error_set(err, errno, "socketpair");
    l->parent_fd = sv[0];
    l->sync_fd = sv[1];
    return 0;
}

static int spawn(parent_t *p, rl_error_t *err)
{
    /* A joined pid namespace makes the init our grandchild: be its reaper. */
    if (p->run->start && (!p->run->detach || p->out)) prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | p->launch.ns.clone_flags, 0, 0, 0, 0);
    if (pid < 0)
        return rl_error_set(err, errno, "clone (are unprivileged user namespaces enabled?)");
    if (pid == 0) rl_init_main(&p->launch);
    close(p->launch.sync_fd);
    p->launch.sync_fd = -1;
    p->child = p->pid = pid;
    return 0;
}

static int map_ids(parent_t *p, rl_error_t *err)
{
    const rl_spec_t *s = p->spec;
    if (p->launch.ns.new_user &&
        rl_idmap_apply(p->pid, s->uid_maps, s->n_uid_maps, s->gid_maps, s->n_gid_maps, err) < 0)
        return rl_error_wrap(err, "write the container's id mappings");
    if (p->cgroup && rl_cgroup_enter(p->cgroup, p->pid, err) < 0) return -1;
    return rl_sync_send(p->launch.parent_fd, RL_SYNC_IDMAP_DONE, 0, NULL, -1, err);
}

/* Until READY: extra-fork pid, terminal, or an error from the child. */
static int wait_ready(parent_t *p, rl_error_t *err)
{
    rl_handshake_t h = {.console_socket = p->o->console_socket,
                        .pid = p->pid,
                        .want_pid = p->launch.ns.fork_pid,
                        .master = -1,
                        .net = RL_NETFDS_NONE,
                        .rootfs = p->launch.rootfs};
    int r = rl_handshake_until_ready(p->launch.parent_fd, &h, err);
    p->pid = h.pid;
    p->master = h.master;
    p->net = h.net;
    /* before the process starts: its first look at the size is right */
    if (p->master >= 0 && p->run->winsize) ioctl(p->master, TIOCSWINSZ, p->run->winsize);
    return r;
}

static char *owner_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw ? xstrdup(pw->pw_name) : xasprintf("%u", (unsigned)geteuid());
}

static unsigned long long shared_mntns(const rl_spec_t *spec)
{
    return spec->ns[RL_NS_MOUNT].wanted ? 0 : rl_mount_ns_id();
}

static int record(parent_t *p, rl_error_t *err)
{
    if (p->child != p->pid) waitpid(p->child, NULL, 0); /* the extra fork's middle */
    rl_state_t st = {
        .id = (char *)p->o->id,
        .bundle = p->spec->bundle,
        .rootfs = p->spec->root_path,
        .oci_version = p->spec->oci_version,
        .created = rl_now_rfc3339(),
        .owner = owner_name(),
        .pid = p->pid,
        .cgroup = p->cgroup ? p->cgroup->path : NULL,
        .annotations = p->spec->annotations,
        .shared_mntns = shared_mntns(p->spec),
        .no_hooks = !p->spec->hooks.present,
    };
    int r = -1;
    if (rl_proc_stat(p->pid, NULL, NULL, &st.start_time) < 0)
        rl_error_set(err, errno, "read start time of pid %d", (int)p->pid);
    else if (rl_state_save(p->o->root, &st, err) == 0) {
        /* exec reads the spec as it was at create: later bundle edits do
         * not count. The bytes read, not the spec written out again. */
        rl_autofree char *cfg = rl_state_path(p->o->root, p->o->id, "config.json");
        r = rl_fs_write_volatile(cfg, p->spec->text, p->spec->text_len, 0600, err);
    }
    free(st.created);
    free(st.owner);
    if (r == 0 && p->o->pid_file)
        r = rl_fs_write_pid_file(p->o->pid_file, p->pid, err) < 0 ? rl_error_wrap(err, "--pid-file")
                                                                  : 0;
    return r;
}

static void destroy(parent_t *p)
{
    if (p->pid > 0) kill(p->pid, SIGKILL);
    if (p->child > 0) {
        kill(p->child, SIGKILL);
        waitpid(p->child, NULL, 0);
    }
    if (p->pid > 0 && p->pid != p->child) waitpid(p->pid, NULL, WNOHANG);
    rl_error_t ignored = RL_ERROR_INIT;
    rl_mount_undo_shared(p->spec->root_path, shared_mntns(p->spec));
    if (p->dir_made) rl_state_destroy(p->o->root, p->o->id, &ignored);
    rl_error_clear(&ignored);
}

static void release(parent_t *p)
{
    rl_launch_t *l = &p->launch;
    if (l->parent_fd > 0) close(l->parent_fd);
    if (l->listen_fd >= 0) close(l->listen_fd);
    if (p->master >= 0) close(p->master);
    rl_netfds_close(&p->net);
    rl_ns_plan_close(&l->ns);
    rl_seccomp_clear(&l->seccomp);
    rl_cgroup_free(p->cgroup);
    rl_spec_free(p->spec);
}

static int start_and_wait(parent_t *p, rl_error_t *err)
{
    const rl_create_opts_t *o = p->o;
    if (rl_sync_send(p->launch.parent_fd, RL_SYNC_START, 0, NULL, -1, err) < 0 ||
        rl_handshake_until_exec(p->launch.parent_fd, o->root, o->id, err) < 0)
        return -1;
    rl_phase("runtime: process exec'd");
    if (p->spec->hooks.present) rl_container_hooks_warn(o->root, o->id, RL_HOOK_POSTSTART);
    if (p->run->detach) {
        if (p->out) {
            *p->out = (rl_container_handle_t){.pid = p->pid,
                                              .pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0),
                                              .master = p->master,
                                              .net = p->net};
            p->master = -1, p->net = RL_NETFDS_NONE;
        }
        return 0;
    }
    int code = rl_foreground_wait(p->pid, p->master, err);
    if (code < 0) return -1;
    /* like runc run: a foreground container is gone with its process */
    if (p->spec->hooks.present) rl_container_hooks_warn(o->root, o->id, RL_HOOK_POSTSTOP);
    rl_error_t ignored = RL_ERROR_INIT;
    if (p->cgroup) rl_cgroup_destroy(p->cgroup, &ignored);
    rl_mount_undo_shared(p->spec->root_path, shared_mntns(p->spec));
    rl_state_destroy(o->root, o->id, &ignored);
    rl_error_clear(&ignored);
    return code;
}

/* createRuntime and prestart. The spec in hand says whether there are any:
 * without hooks, no re-reading of the saved spec and state. */
static int run_create_hooks(parent_t *p, rl_error_t *err)
{
    if (!p->spec->hooks.present) return 0;
    if (rl_container_run_hooks(p->o->root, p->o->id, RL_HOOK_CREATE_RUNTIME, err) < 0) return -1;
    return rl_container_run_hooks(p->o->root, p->o->id, RL_HOOK_PRESTART, err);
}

int rl_container_create(const rl_create_opts_t *o, const rl_create_run_t *run,
                        rl_container_handle_t *out, rl_error_t *err)
{
    parent_t p = {.o = o,
                  .run = run,
                  .out = out,
                  .master = -1,
                  .net = RL_NETFDS_NONE,
                  .launch = {.parent_fd = -1, .listen_fd = -1}};
    for (int t = 0; t < RL_NS_COUNT; t++)
        p.launch.ns.fds[t] = -1;
    int r = -1;
    if (rl_state_validate_id(o->id, err) < 0) return -1;
    reserve_preserved_fds(o->preserve_fds);
    if (!(p.spec = rl_spec_load(o->bundle, err)) || rl_spec_fill_idmaps(p.spec, err) < 0 ||
        check_options(&p, err) < 0 || rl_cgroup_prepare(p.spec, o->id, &p.cgroup, err) < 0)
        goto out;
    if (rl_state_create_dir(o->root, o->id, err) < 0) goto out;
    p.dir_made = true;
    /* createRuntime and prestart: the namespaces exist, the process waits */
    rl_phase("runtime: spec loaded, state dir made");
    if (prepare(&p, err) < 0 || spawn(&p, err) < 0) goto fail;
    rl_phase("runtime: init cloned");
    if (map_ids(&p, err) < 0) goto fail;
    rl_phase("runtime: ids mapped (newuidmap/newgidmap)");
    if (wait_ready(&p, err) < 0) goto fail;
    rl_phase("runtime: init ready (mounts, rootfs)");
    if (record(&p, err) < 0 || run_create_hooks(&p, err) < 0) goto fail;
    rl_phase("runtime: state recorded");
    if (!run->start) {
        r = rl_sync_send(p.launch.parent_fd, RL_SYNC_CREATED, 0, NULL, -1, err);
        if (r < 0) goto fail;
        goto out;
    }
    r = start_and_wait(&p, err);
    if (r >= 0) goto out;
fail:
    destroy(&p);
    if (p.cgroup) {
        rl_error_t ignored = RL_ERROR_INIT;
        rl_cgroup_destroy(p.cgroup, &ignored);
        rl_error_clear(&ignored);
    }
    r = -1;
out:
    release(&p);
    return r;
}
