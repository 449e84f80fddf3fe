/* SPDX-License-Identifier: Apache-2.0 */
/* The container's setup process, from clone() to execve(). One flat
 * sequence; each step a named function; any failure goes back to the parent
 * as an ERROR message (rl_sync_fail). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"
#include "netdev.h"
#include "mount.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/xalloc.h"
#include "process.h"
#include "resolve.h"
#include "sync.h"
#include "tty.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int become_root(rl_error_t *err)
{
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
        return rl_error_set(err, errno, "become root in the user namespace");
    return 0;
}

static int join_namespaces(rl_launch_t *l, rl_error_t *err)
{
    if (l->ns.fds[RL_NS_USER] >= 0) {
        if (rl_ns_join(&l->ns, RL_NS_USER, err) < 0 || become_root(err) < 0) return -1;
    }
    const rl_spec_ns_type_t order[] = {RL_NS_IPC,    RL_NS_UTS,  RL_NS_NET,
                                       RL_NS_CGROUP, RL_NS_TIME, RL_NS_MOUNT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (rl_ns_join(&l->ns, order[i], err) < 0) return -1;
    if (l->ns.unshare_flags && unshare(l->ns.unshare_flags) < 0)
        return rl_error_set(err, errno, "create namespaces");
    /* After the parent put us in our cgroup, so that cgroup becomes our root. */
    if (l->ns.new_cgroup && unshare(CLONE_NEWCGROUP) < 0)
        return rl_error_set(err, errno, "create cgroup namespace");
    if (l->ns.new_time && rl_ns_setup_time(l->spec, err) < 0) return -1;
    return 0;
}

/* A joined (or late-made) pid namespace only takes effect for children:
 * fork once more; the grandchild is the container's init. */
static int enter_pid_namespace(rl_launch_t *l, rl_error_t *err)
{
    if (!l->ns.fork_pid) return 0;
    if (rl_ns_join(&l->ns, RL_NS_PID, err) < 0) return -1;
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | l->ns.fork_flags, 0, 0, 0, 0);
    if (pid < 0) return rl_error_set(err, errno, "fork into the pid namespace");
    if (pid == 0) return 0;
    if (rl_sync_send(l->sync_fd, RL_SYNC_PID, pid, NULL, -1, err) < 0) {
        kill(pid, SIGKILL);
        return -1;
    }
    _exit(0);
}

static int write_sysctls(const rl_spec_t *spec, rl_error_t *err)
{
    if (!spec->sysctl) return 0;
    json_object_object_foreach(spec->sysctl, key, val)
    {
        if (!*key || strstr(key, "..") || key[0] == '.' || key[0] == '/')
            return rl_error_set(err, 0, "linux.sysctl: invalid name '%s'", key);
        rl_autofree char *path = xasprintf("/proc/sys/%s", key);
        for (char *p = path + 10; *p; p++)
            if (*p == '.') *p = '/';
        if (rl_fs_write_string(path, json_object_get_string(val), err) < 0)
            return rl_error_wrap(err, "linux.sysctl '%s'", key);
    }
    return 0;
}

static int set_names(const rl_spec_t *spec, rl_error_t *err)
{
    bool uts = spec->ns[RL_NS_UTS].wanted;
    if ((spec->hostname || spec->domainname) && !uts)
        return rl_error_set(err, 0, "hostname: setting it needs a uts namespace");
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
        return rl_error_set(err, errno, "set hostname '%s'", spec->hostname);
    if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
        return rl_error_set(err, errno, "set domainname '%s'", spec->domainname);
    return 0;
}

static int ensure_cwd(const char *cwd, rl_error_t *err)
{
    rl_autoclose int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return rl_error_set(err, errno, "open /");
    return rl_ensure_in_root(rootfd, cwd, true, err);
}

static int setup_filesystem(rl_launch_t *l, rl_error_t *err)
{
    const rl_spec_t *spec = l->spec;
    /* New or joined by path, the mount namespace gets the bundle's rootfs:
     * a container never starts on the root of a namespace made elsewhere
     * (for one made by `unshare --mount`, the host's). Without one, it is
     * chrooted into the rootfs (rl_mount_rootfs). */
    if (rl_mount_rootfs(spec, l->rootfs, l->no_pivot, l->sync_fd, err) < 0 ||
        write_sysctls(spec, err) < 0 || ensure_cwd(spec->process.cwd, err) < 0)
        return -1;
    if (spec->process.terminal && rl_tty_setup_child(&spec->process, l->sync_fd, true, err) < 0)
        return -1;
    return rl_mount_finish(spec, err);
}

/* slirp networking: the tap device in our new network namespace, configured
 * while we are root in the user namespace, its fd to the caller. */
static int make_tap(rl_launch_t *l, rl_error_t *err)
{
    if (!l->ns.new_net)
        return rl_error_set(err, 0, "a tap device for slirp needs a new network namespace");
    rl_netfds_t fds = RL_NETFDS_NONE;
    /* lo first: the outbound listener binds to 127.0.0.1 */
    if (rl_ns_loopback_up(err) < 0 || rl_netdev_create(l->tap, &fds, err) < 0) return -1;
    int r = 0, v[] = {fds.tap, fds.out_listen, fds.out_queue};
    for (int i = 0; i < 3 && r == 0; i++)
        if (v[i] >= 0) r = rl_sync_send(l->sync_fd, RL_SYNC_TAP, i, NULL, v[i], err);
    rl_netfds_close(&fds);
    return r;
}

/* `create`: the starter connects to start.sock; from then on that
 * connection is our sync socket. `run`: START comes on the sync socket. */
static int wait_start(rl_launch_t *l, rl_error_t *err)
{
    rl_sync_msg_t msg;
    if (l->listen_fd >= 0) {
        /* EOF instead of CREATED: rl died before recording us; nobody
         * could ever start or delete us, so go. */
        if (rl_sync_expect(l->sync_fd, RL_SYNC_CREATED, &msg, err) < 0) return -1;
        int conn;
        do
            conn = accept4(l->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        while (conn < 0 && errno == EINTR);
        if (conn < 0) return rl_error_set(err, errno, "accept on start socket");
        close(l->listen_fd);
        close(l->sync_fd);
        l->listen_fd = -1;
        l->sync_fd = conn;
    }
    return rl_sync_expect(l->sync_fd, RL_SYNC_START, &msg, err);
}

void rl_init_main(rl_launch_t *l)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_sync_msg_t msg;
    rl_process_block_signals();
    close(l->parent_fd);
    for (int fd = 0; l->stdio && fd < 3; fd++)
        if (l->stdio[fd] >= 0) dup2(l->stdio[fd], fd);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Every wait below is on the sync socket: if rl dies, we get EOF and exit. */
    if (rl_sync_expect(l->sync_fd, RL_SYNC_IDMAP_DONE, &msg, &err) < 0) _exit(1);
    if ((l->ns.new_user && become_root(&err) < 0) || join_namespaces(l, &err) < 0 ||
        /* non-dumpable only now: newuidmap checked who owns /proc/PID, and
         * the time offsets are written there */
        rl_process_set_oom(&l->spec->process, &err) < 0 ||
        rl_process_set_dumpable(false, &err) < 0 || enter_pid_namespace(l, &err) < 0)
        rl_sync_fail(l->sync_fd, 1, &err);
    if (setsid() < 0) rl_error_set(&err, errno, "setsid"), rl_sync_fail(l->sync_fd, 1, &err);
    if (l->tap && make_tap(l, &err) < 0) rl_sync_fail(l->sync_fd, 1, &err);
    rl_process_ctx_t pctx = {
        .proc = &l->spec->process,
        .seccomp = l->has_seccomp ? &l->seccomp : NULL,
        .preserve_fds = l->preserve_fds,
        .keep_fds = {l->sync_fd, l->listen_fd},
        .n_keep_fds = 2,
    };
    if (setup_filesystem(l, &err) < 0 || set_names(l->spec, &err) < 0 ||
        (l->ns.new_net && rl_ns_loopback_up(&err) < 0) || rl_process_prepare(&pctx, &err) < 0)
        rl_sync_fail(l->sync_fd, err.exit ? err.exit : 1, &err);
    /* `create` returns after READY: its exit must not kill the container,
     * so clear the parent-death signal before saying READY. */
    prctl(PR_SET_PDEATHSIG, 0);
    /* Hooks and `exec` into a created container open our /proc/PID/ns/
     * files, which a non-dumpable process keeps from its own user too. */
    bool reachable = l->listen_fd >= 0 || l->spec->hooks.present;
    if (reachable && rl_process_set_dumpable(true, &err) < 0) rl_sync_fail(l->sync_fd, 1, &err);
    if (rl_sync_send(l->sync_fd, RL_SYNC_READY, 0, NULL, -1, &err) < 0) _exit(1);
    if (wait_start(l, &err) < 0) _exit(1);
    if (reachable && rl_process_set_dumpable(false, &err) < 0) rl_sync_fail(l->sync_fd, 1, &err);
    rl_process_exec(&pctx, l->sync_fd, &err);
    rl_sync_fail(l->sync_fd, err.exit ? err.exit : 1, &err);
}
