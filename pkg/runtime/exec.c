/* SPDX-License-Identifier: Apache-2.0 */
/* `exec`: a new process in a running container. Join its namespaces (user
 * first), fork into its pid namespace, then the same last steps as init. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "handshake.h"
#include "pkg/cgroups/cgroups.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/spec/exec.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "process.h"
#include "state.h"
#include "sync.h"
#include "tty.h"

typedef struct exec_ctx {
    const rl_exec_opts_t *o;
    rl_state_t *st;
    rl_spec_t *spec;
    rl_spec_process_t proc;
    rl_seccomp_t seccomp;
    bool has_seccomp;
    int ns_fds[RL_NS_COUNT];
    int sv[2];
    pid_t mid, pid;
    int master;
} exec_ctx_t;

static int load(exec_ctx_t *x, rl_error_t *err)
{
    const rl_exec_opts_t *o = x->o;
    if (!(x->st = rl_state_load(o->root, o->id, err))) return -1;
    const char *status = rl_state_status(o->root, x->st);
    if (strcmp(status, "running") && strcmp(status, "created"))
        return rl_error_set(err, 0, "cannot exec in container '%s': it is %s", o->id, status);
    rl_autofree char *cfg = rl_state_path(o->root, o->id, "config.json");
    if (!(x->spec = rl_spec_load_file(cfg, x->st->bundle, err))) return -1;
    rl_spec_exec_t e = {.process_file = o->process_file,
                        .args = o->args,
                        .env = o->env,
                        .cwd = o->cwd,
                        .user = o->user,
                        .caps = o->caps,
                        .gids = o->gids,
                        .tty = o->tty,
                        .tty_set = o->tty_set,
                        .no_new_privs = o->no_new_privs};
    if (rl_spec_exec_process(x->spec, &e, &x->proc, err) < 0) {
        if (!o->process_file && !x->spec->has_process)
            rl_error_setk(err, RL_ERR_INVALID, 0, "container '%s' has no process in its spec",
                          o->id);
        return -1;
    }
    if (x->proc.terminal && o->detach && !o->console_socket)
        return rl_error_set(err, 0, "exec --tty --detach needs --console-socket");
    if (x->spec->seccomp) {
        if (rl_seccomp_compile_cached(x->spec->seccomp, "linux.seccomp", &x->seccomp, err) < 0)
            return -1;
        x->has_seccomp = true;
    }
    return 0;
}

static int open_namespaces(exec_ctx_t *x, rl_error_t *err)
{
    for (int t = 0; t < RL_NS_COUNT; t++) {
        char path[64], self[64];
        struct stat a, b;
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)x->st->pid, rl_spec_ns_proc_name(t));
        snprintf(self, sizeof self, "/proc/self/ns/%s", rl_spec_ns_proc_name(t));
        if (stat(path, &a) < 0 ||
            (stat(self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev))
            continue;
        x->ns_fds[t] = open(path, O_RDONLY | O_CLOEXEC);
        if (x->ns_fds[t] < 0) return rl_error_set(err, errno, "open '%s'", path);
    }
    return 0;
}

static int join(exec_ctx_t *x, rl_error_t *err)
{
    const rl_spec_ns_type_t order[] = {RL_NS_USER, RL_NS_IPC,    RL_NS_UTS,  RL_NS_NET,
                                       RL_NS_PID,  RL_NS_CGROUP, RL_NS_TIME, RL_NS_MOUNT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int t = order[i];
        if (x->ns_fds[t] < 0) continue;
        if (setns(x->ns_fds[t], rl_spec_ns_clone_flag(t)) < 0)
            return rl_error_set(err, errno, "join the container's %s namespace",
                                rl_spec_ns_name(t));
        if (t == RL_NS_USER && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
            return rl_error_set(err, errno, "become root in the container's user namespace");
    }
    return 0;
}

__attribute__((noreturn)) static void exec_child(exec_ctx_t *x)
{
    rl_error_t err = RL_ERROR_INIT;
    int sync = x->sv[1];
    rl_sync_msg_t m;
    close(x->sv[0]);
    if (setsid() < 0) rl_error_set(&err, errno, "setsid"), rl_sync_fail(sync, 1, &err);
    rl_process_ctx_t pctx = {.proc = &x->proc,
                             .seccomp = x->has_seccomp ? &x->seccomp : NULL,
                             .preserve_fds = x->o->preserve_fds,
                             .keep_fds = {sync},
                             .n_keep_fds = 1};
    if ((x->proc.terminal && rl_tty_setup_child(&x->proc, sync, false, &err) < 0) ||
        rl_process_prepare(&pctx, &err) < 0)
        rl_sync_fail(sync, err.exit ? err.exit : 1, &err);
    if (rl_sync_send(sync, RL_SYNC_READY, 0, NULL, -1, &err) < 0) _exit(1);
    if (rl_sync_expect(sync, RL_SYNC_START, &m, &err) < 0) _exit(1);
    rl_process_exec(&pctx, sync, &err);
    rl_sync_fail(sync, err.exit ? err.exit : 1, &err);
}

/* The middle process: joins, forks the real process into the pid ns, leaves. */
__attribute__((noreturn)) static void exec_middle(exec_ctx_t *x)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_process_block_signals();
    /* Before the first namespace: from the moment the child is in the
     * container's pid namespace until its execve, nothing there may open
     * its /proc/PID files or ptrace it. */
    if (rl_process_set_oom(&x->proc, &err) < 0 || rl_process_set_dumpable(false, &err) < 0 ||
        join(x, &err) < 0)
        rl_sync_fail(x->sv[1], 1, &err);
    pid_t pid = fork();
    if (pid < 0) rl_error_set(&err, errno, "fork"), rl_sync_fail(x->sv[1], 1, &err);
    if (pid == 0) exec_child(x);
    rl_sync_send(x->sv[1], RL_SYNC_PID, pid, NULL, -1, &err);
    _exit(0);
}

static int until_ready(exec_ctx_t *x, rl_error_t *err)
{
    rl_handshake_t h = {.console_socket = x->o->console_socket,
                        .pid = x->pid,
                        .want_pid = true,
                        .master = -1,
                        .net = RL_NETFDS_NONE};
    int r = rl_handshake_until_ready(x->sv[0], &h, err);
    x->pid = h.pid;
    x->master = h.master;
    return r;
}

static int finish(exec_ctx_t *x, rl_error_t *err)
{
    const rl_exec_opts_t *o = x->o;
    if (x->st->cgroup && rl_cgroup_enter(&(rl_cgroup_t){.path = x->st->cgroup}, x->pid, err) < 0)
        return -1;
    if (o->pid_file && rl_fs_write_pid_file(o->pid_file, x->pid, err) < 0)
        return rl_error_wrap(err, "--pid-file");
    if (rl_sync_send(x->sv[0], RL_SYNC_START, 0, NULL, -1, err) < 0 ||
        rl_handshake_until_exec(x->sv[0], o->root, o->id, err) < 0)
        return -1;
    if (o->detach) return 0;
    return rl_foreground_wait(x->pid, x->master, err);
}

int rl_container_exec(const rl_exec_opts_t *o, rl_error_t *err)
{
    exec_ctx_t x = {.o = o, .sv = {-1, -1}, .master = -1};
    for (int t = 0; t < RL_NS_COUNT; t++)
        x.ns_fds[t] = -1;
    int r = -1;
    if (load(&x, err) < 0 || open_namespaces(&x, err) < 0) goto out;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x.sv) < 0) {
        rl_error_set(err, errno, "socketpair");
        goto out;
    }
    /* The process is our grandchild: become its reaper to wait for it. */
    if (!o->detach) prctl(PR_SET_CHILD_SUBREAPER, 1);
    x.mid = fork();
    if (x.mid < 0) {
        rl_error_set(err, errno, "fork");
        goto out;
    }
    if (x.mid == 0) exec_middle(&x);
    close(x.sv[1]);
    x.sv[1] = -1;
    r = until_ready(&x, err);
    waitpid(x.mid, NULL, 0);
    if (r == 0) r = finish(&x, err);
    if (r < 0 && x.pid > 0) kill(x.pid, SIGKILL);
out:
    for (int t = 0; t < RL_NS_COUNT; t++)
        if (x.ns_fds[t] >= 0) close(x.ns_fds[t]);
    for (int i = 0; i < 2; i++)
        if (x.sv[i] >= 0) close(x.sv[i]);
    if (x.master >= 0) close(x.master);
    rl_seccomp_clear(&x.seccomp);
    rl_spec_process_clear(&x.proc);
    rl_spec_free(x.spec);
    rl_state_free(x.st);
    return r;
}
