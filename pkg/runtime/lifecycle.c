/* SPDX-License-Identifier: Apache-2.0 */
/* start, kill, delete: operations on a container that exists. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container.h"
#include "handshake.h"
#include "hooks.h"
#include "mount.h"
#include "pkg/util/proc.h"
#include "pkg/util/log.h"
#include "pkg/util/cleanup.h"
#include "pkg/spec/stored.h"
#include "pkg/util/json.h"
#include "pkg/util/sock.h"
#include "pkg/util/xalloc.h"
#include "state.h"
#include "sync.h"

/* st: the container's state when the caller holds it (else loaded here) */
static int run_hooks(const char *root, const char *id, const rl_state_t *st,
                     rl_spec_hook_phase_t phase, rl_error_t *err)
{
    if (st && st->no_hooks) return 0;
    rl_autofree char *cfg = rl_state_path(root, id, "config.json");
    rl_spec_hooks_t hooks;
    if (rl_spec_hooks_load(cfg, &hooks, err) < 0) return -1;
    int r = 0;
    rl_state_t *own = hooks.n[phase] && !st ? rl_state_load(root, id, err) : NULL;
    if (hooks.n[phase] && !st && !(st = own)) r = -1;
    if (r == 0 && hooks.n[phase]) {
        rl_autojson json_object *state = rl_state_to_json(st, rl_state_status(root, st));
        r = rl_hooks_run(&hooks, phase, state, err);
    }
    rl_state_free(own);
    rl_spec_hooks_clear(&hooks);
    return r;
}

int rl_container_run_hooks(const char *root, const char *id, rl_spec_hook_phase_t phase,
                           rl_error_t *err)
{
    return run_hooks(root, id, NULL, phase, err);
}

/* poststart and poststop failures are warnings (runtime spec, lifecycle). */
static void hooks_warn(const char *root, const char *id, const rl_state_t *st,
                       rl_spec_hook_phase_t phase)
{
    rl_error_t err = RL_ERROR_INIT;
    if (run_hooks(root, id, st, phase, &err) < 0) rl_warn("%s", err.msg);
    rl_error_clear(&err);
}

void rl_container_hooks_warn(const char *root, const char *id, rl_spec_hook_phase_t phase)
{
    hooks_warn(root, id, NULL, phase);
}

typedef struct locked {
    int lock;
    rl_state_t *st;
} locked_t;

static int open_locked(const char *root, const char *id, locked_t *c, rl_error_t *err)
{
    c->st = NULL;
    if (rl_state_validate_id(id, err) < 0) return -1;
    c->lock = rl_state_lock(root, id, err);
    if (c->lock < 0) return -1;
    c->st = rl_state_load(root, id, err);
    if (!c->st) {
        close(c->lock);
        return -1;
    }
    return 0;
}

static void close_locked(locked_t *c)
{
    rl_state_free(c->st);
    if (c->lock >= 0) close(c->lock);
}

static int start_created(const char *root, const rl_state_t *st, rl_error_t *err)
{
    const char *status = rl_state_status(root, st);
    if (strcmp(status, "created") != 0)
        return rl_error_set(err, 0, "cannot start container '%s': it is %s, not created", st->id,
                            status);
    rl_autofree char *sock = rl_state_path(root, st->id, "start.sock");
    rl_autoclose int fd = rl_sock_connect_path(sock, SOCK_SEQPACKET, err);
    if (fd < 0) return -1;
    /* From here on the container counts as running. */
    unlink(sock);
    if (rl_sync_send(fd, RL_SYNC_START, 0, NULL, -1, err) < 0 ||
        rl_handshake_until_exec(fd, root, st->id, err) < 0)
        return -1;
    hooks_warn(root, st->id, st, RL_HOOK_POSTSTART);
    return 0;
}

int rl_container_start(const char *root, const char *id, rl_error_t *err)
{
    locked_t c;
    if (open_locked(root, id, &c, err) < 0) return -1;
    int r = start_created(root, c.st, err);
    close_locked(&c);
    return r;
}

static bool same_ns(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

/* pid descends from init (a parent chain up to pid 1 is short) */
static bool descends(pid_t pid, pid_t init)
{
    for (int depth = 0; pid > 1 && depth < 4096; depth++) {
        if (rl_proc_stat(pid, NULL, &pid, NULL) < 0) return false;
        if (pid == init) return true;
    }
    return false;
}

/* Without a pid namespace of its own, the container's processes are those
 * sharing the init's mount namespace; when that is the caller's too (a
 * container without one), the init's descendants. */
static void kill_all_outside_pidns(pid_t init, int sig)
{
    char ref[64], path[64];
    snprintf(ref, sizeof ref, "/proc/%d/ns/mnt", (int)init);
    bool by_tree = same_ns(ref, "/proc/self/ns/mnt");
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        int pid = atoi(de->d_name);
        if (pid <= 0 || pid == init || pid == getpid()) continue;
        snprintf(path, sizeof path, "/proc/%d/ns/mnt", pid);
        if (by_tree ? descends(pid, init) : same_ns(path, ref)) kill(pid, sig);
    }
    if (d) closedir(d);
}

static bool own_pidns(pid_t pid)
{
    char path[64];
    struct stat a, b;
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
    return stat(path, &a) == 0 && stat("/proc/self/ns/pid", &b) == 0 && a.st_ino != b.st_ino;
}

static int signal_container(const rl_state_t *st, int sig, bool all, rl_error_t *err)
{
    /* pidfd: the signal cannot reach a process that reused the pid. */
    int pfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
    if (pfd < 0 || !rl_state_alive(st)) {
        if (pfd >= 0) close(pfd);
        return rl_error_set(err, 0, "container '%s' is not running", st->id);
    }
    if (all && !own_pidns(st->pid)) kill_all_outside_pidns(st->pid, sig);
    int r = (int)syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
    int e = errno;
    close(pfd);
    /* SIGKILL to the init of a pid namespace ends every process in it. */
    if (r < 0 && e != ESRCH) return rl_error_set(err, e, "signal container '%s'", st->id);
    return 0;
}

int rl_container_kill(const char *root, const char *id, int sig, bool all, rl_error_t *err)
{
    locked_t c;
    if (open_locked(root, id, &c, err) < 0) return -1;
    int r = signal_container(c.st, sig, all, err);
    close_locked(&c);
    return r;
}

static void wait_gone(const rl_state_t *st)
{
    rl_proc_id_t id = rl_state_proc(st);
    rl_proc_wait_gone(&id, 10000);
}

int rl_container_delete(const char *root, const char *id, bool force, rl_error_t *err)
{
    locked_t c;
    if (rl_state_validate_id(id, err) < 0) return -1;
    rl_autofree char *sj = rl_state_path(root, id, "state.json");
    if (force && access(sj, F_OK) < 0 && errno == ENOENT) {
        /* like runc: --force on a container that is gone (or whose create
         * never finished) clears what is left and succeeds */
        return rl_state_destroy(root, id, err);
    }
    if (open_locked(root, id, &c, err) < 0) return -1;
    const char *status = rl_state_status(root, c.st);
    int r = -1;
    if (strcmp(status, "stopped") != 0) {
        if (!force) {
            rl_error_set(err, 0,
                         "cannot delete container '%s' that is %s: stop it first or use "
                         "--force",
                         id, status);
            goto out;
        }
        rl_error_t ignored = RL_ERROR_INIT;
        signal_container(c.st, SIGKILL, true, &ignored);
        rl_error_clear(&ignored);
        wait_gone(c.st);
        if (rl_state_alive(c.st)) {
            rl_error_set(err, 0, "container '%s' (pid %d) did not die after SIGKILL", id,
                         (int)c.st->pid);
            goto out;
        }
    }
    hooks_warn(root, id, c.st, RL_HOOK_POSTSTOP);
    if (c.st->cgroup && rmdir(c.st->cgroup) < 0 && errno != ENOENT) {
        rl_error_set(err, errno, "remove cgroup '%s'", c.st->cgroup);
        goto out;
    }
    rl_mount_undo_shared(c.st->rootfs, c.st->shared_mntns);
    r = rl_state_destroy(root, id, err);
out:
    close_locked(&c);
    return r;
}

static json_object *listener_message(const rl_state_t *st, const char *metadata)
{
    json_object *msg = json_object_new_object();
    json_object_object_add(msg, "ociVersion", json_object_new_string("1.0.2"));
    json_object *fds = json_object_new_array();
    json_object_array_add(fds, json_object_new_string("seccompFd"));
    json_object_object_add(msg, "fds", fds);
    json_object_object_add(msg, "pid", json_object_new_int(st->pid));
    if (metadata) json_object_object_add(msg, "metadata", json_object_new_string(metadata));
    json_object_object_add(msg, "state", rl_state_to_json(st, "running"));
    return msg;
}

static int send_listener(const rl_state_t *st, const rl_spec_stored_t *spec, int fd,
                         rl_error_t *err)
{
    if (!spec->has_seccomp)
        return rl_error_set(err, 0, "no seccomp section in the container's spec");
    if (!spec->listener_path)
        return rl_error_set(err, 0, "no listenerPath in the container's spec");
    rl_autojson json_object *msg = listener_message(st, spec->listener_metadata);
    const char *text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
    rl_autoclose int s = rl_sock_connect_path(spec->listener_path, SOCK_STREAM, err);
    if (s < 0) return -1;
    return rl_sock_send_fd(s, fd, text, strlen(text), err);
}

int rl_seccomp_forward(const char *root, const char *id, int fd, rl_error_t *err)
{
    rl_autofree char *cfg = rl_state_path(root, id, "config.json");
    rl_state_t *st = rl_state_load(root, id, err);
    if (!st) return -1;
    /* The listener path comes from the spec saved at create. */
    rl_spec_stored_t spec;
    int r = rl_spec_stored_load(cfg, &spec, err);
    if (r == 0) r = send_listener(st, &spec, fd, err);
    rl_spec_stored_clear(&spec);
    rl_state_free(st);
    return r < 0 ? rl_error_wrap(err, "seccomp listener") : 0;
}
