/* SPDX-License-Identifier: Apache-2.0 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "loop.h"
#include "pkg/network/portfwd.h"
#include "pkg/runtime/netdev.h"
#include "pkg/runtime/relay.h"
#include "pkg/runtime/state.h"
#include "pkg/runtime/sync.h"
#include "pkg/util/phase.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "pkg/util/platform.h"
#include "sdnotify.h"
#include "storage/ctr_state.h"
#include "trim.h"
#include "storage/containers.h"

typedef struct mon {
    const rl_mon_opts_t *o;
    bool foreground;
    int report; /* detached: the socket to the rl that started us, until it runs */
    rl_mon_loop_t l;
    rl_ctr_state_t st;
    char *attach_path;
    struct timespec started;
    int userns_fd; /* --rm, rootless: the container's user namespace, to remove its files in */
} mon_t;

/* Record a transition under the container's lock. fresh: a new start, so
 * an old stop request no longer holds; else keep what rl stop asked for
 * meanwhile. */
static int save_state(mon_t *m, bool fresh, rl_error_t *err)
{
    int fd = rl_ctr_lock(m->o->s, m->o->id, err);
    if (fd < 0) return -1;
    rl_ctr_state_t cur = {0};
    rl_error_t ignored = RL_ERROR_INIT;
    m->st.stop_requested = false;
    if (!fresh && rl_ctr_state_load(m->o->s, m->o->id, &cur, &ignored) == 0) {
        m->st.stop_requested = cur.stop_requested;
        rl_ctr_state_clear(&cur);
    }
    rl_error_clear(&ignored);
    int r = rl_ctr_state_save(m->o->s, m->o->id, &m->st, err);
    close(fd);
    return r;
}

/* rl stop asked (read under the lock, so never a torn file). */
static bool stop_requested(mon_t *m)
{
    rl_error_t e = RL_ERROR_INIT;
    rl_ctr_state_t cur = {0};
    bool stop = false;
    int fd = rl_ctr_lock(m->o->s, m->o->id, &e);
    if (fd >= 0 && rl_ctr_state_load(m->o->s, m->o->id, &cur, &e) == 0) {
        stop = cur.stop_requested;
        rl_ctr_state_clear(&cur);
    }
    if (fd >= 0) close(fd);
    rl_error_clear(&e);
    return stop;
}

static void write_pidfile(const char *path, pid_t pid)
{
    if (!path) return;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_write_pid_file(path, pid, &e) < 0) rl_warn("%s", e.msg);
    rl_error_clear(&e);
}

static void record_start(mon_t *m, pid_t pid)
{
    rl_ctr_state_t *st = &m->st;
    st->status = RL_CTR_RUNNING;
    st->pid = pid;
    st->monitor_pid = getpid();
    st->exit_code = -1;
    st->ephemeral = m->o->rm;
    free(st->started_at), free(st->finished_at);
    st->started_at = rl_now_rfc3339();
    st->finished_at = NULL;
    rl_ctr_proc_identity(pid, &st->pid_start, st->boot_id);
    rl_proc_stat(st->monitor_pid, NULL, NULL, &st->monitor_start); /* same boot */
    rl_strv_free(st->ports);
    st->ports = NULL;
    for (size_t i = 0; m->o->ports && i < m->o->ports->n; i++)
        rl_strv_push(&st->ports, rl_net_port_format(&m->o->ports->v[i]));
    clock_gettime(CLOCK_MONOTONIC, &m->started);
    write_pidfile(m->o->pidfile, pid);
}

static void close_pair(int p[2])
{
    if (p[0] >= 0) close(p[0]);
    if (p[1] >= 0) close(p[1]);
    p[0] = p[1] = -1;
}

/* The container's stdio for one start: pipes to us for what we log or
 * serve, else ours (foreground) or /dev/null. */
static int make_stdio(mon_t *m, int in[2], int out[2], int errp[2], int stdio[3])
{
    const rl_mon_opts_t *o = m->o;
    bool pipes = !m->foreground || o->log_driver == RL_LOG_K8S_FILE;
    if (!m->foreground && o->interactive && !o->tty && pipe2(in, O_CLOEXEC) < 0) return -1;
    if (pipes && (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)) return -1;
    stdio[0] = in[0];
    if (!m->foreground && in[0] < 0)
        stdio[0] = open("/dev/null", O_RDONLY | O_CLOEXEC), in[0] = stdio[0];
    stdio[1] = out[1];
    stdio[2] = errp[1];
    return 0;
}

/* --rm, rootless: the container's user namespace outlives its processes
 * while we hold it, so its files can be removed there (rl_ctr_remove_in)
 * without mapping a namespace anew. The first start's is kept: a restart
 * is made with the same mapping. */
static void keep_userns(mon_t *m, pid_t pid)
{
    if (!m->o->rm || geteuid() == 0 || m->userns_fd >= 0) return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
    m->userns_fd = open(path, O_RDONLY | O_CLOEXEC);
}

static int start_once(mon_t *m, bool fresh, rl_error_t *err)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1}, stdio[3];
    if (make_stdio(m, in, out, errp, stdio) < 0) {
        close_pair(in), close_pair(out), close_pair(errp);
        return rl_error_set(err, errno, "the container's stdio pipes");
    }
    struct winsize ws;
    rl_create_run_t run = {.start = true, .detach = true, .stdio = stdio};
    if (m->foreground && m->o->tty && ioctl(0, TIOCGWINSZ, &ws) == 0) run.winsize = &ws;
    rl_container_handle_t h = {.pid = -1, .pidfd = -1, .master = -1, .net = RL_NETFDS_NONE};
    int r = rl_container_create(&m->o->create, &run, &h, err);
    pid_t pid = h.pid;
    int master = h.master;
    rl_netfds_t net = h.net;
    /* the container's ends */
    if (in[0] >= 0) close(in[0]), in[0] = -1;
    if (out[1] >= 0) close(out[1]), out[1] = -1;
    if (errp[1] >= 0) close(errp[1]), errp[1] = -1;
    if (r < 0) {
        close_pair(in), close_pair(out), close_pair(errp);
        return -1;
    }
    rl_mon_loop_t *l = &m->l;
    l->pid = pid;
    l->pidfd = h.pidfd;
    l->tty = master >= 0;
    l->out = l->tty ? master : out[0];
    if (l->tty && out[0] >= 0) close(out[0]);
    l->err = errp[0];
    l->in = l->tty ? master : in[1];
    if (m->o->fwd) rl_net_portfwd_outbound(m->o->fwd, net.out_listen, net.out_queue);
    net.out_listen = net.out_queue = -1;
    if (net.tap >= 0) {
        rl_net_slirp_opts_t so = m->o->slirp;
        so.tap_fd = net.tap;
        /* the container runs already: without its network it is of no use */
        if (!(l->slirp = rl_net_slirp_new(&so, err))) return kill(pid, SIGKILL), -1;
    }
    if (m->o->fwd && rl_mon_loop_forward(l, m->o->fwd, err) < 0) return kill(pid, SIGKILL), -1;
    record_start(m, pid);
    keep_userns(m, pid);
    if (rl_mon_loop_attach_run(l) < 0) return rl_error_set(err, errno, "watch the container");
    return save_state(m, fresh, err);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void runtime_cleanup(mon_t *m)
{
    rl_error_t e = RL_ERROR_INIT;
    if (rl_container_delete(m->o->create.root, m->o->id, true, &e) < 0) rl_error_clear(&e);
}

static void record_exit(mon_t *m, int code)
{
    m->st.status = RL_CTR_EXITED;
    m->st.exit_code = code;
    rl_strv_free(m->st.ports);
    m->st.ports = NULL;
    free(m->st.finished_at);
    m->st.finished_at = rl_now_rfc3339();
    rl_error_t e = RL_ERROR_INIT;
    if (save_state(m, false, &e) < 0) rl_error_clear(&e);
}

/* --restart: wait out the back-off (serving attach clients), unless rl
 * stop says no more; true when the container runs again. */
static bool restart(mon_t *m, int code)
{
    if (!rl_mon_restart_wanted(&m->o->restart, code, m->st.restarts) || stop_requested(m))
        return false;
    record_exit(m, code);
    int delay = rl_mon_restart_delay_ms(m->st.restarts, ms_since(&m->started));
    for (int waited = 0; waited < delay; waited += 100) {
        rl_mon_loop_idle(&m->l, delay - waited < 100 ? delay - waited : 100);
        if (stop_requested(m)) return false;
    }
    m->st.restarts++;
    rl_error_t e = RL_ERROR_INIT;
    if (start_once(m, false, &e) == 0) return true;
    rl_warn("restart of container %.12s: %s", m->o->id, e.msg);
    rl_error_clear(&e);
    return false;
}

/* The remover of remove_behind: takes the path from the pipe once the
 * container is out of the store, holding nothing of ours meanwhile. */
static _Noreturn void remover(int in, int userns_fd)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (in != 3) dup2(in, 3);
    if (userns_fd >= 0 && userns_fd != 4) dup2(userns_fd, 4);
    syscall(SYS_close_range, userns_fd >= 0 ? 5 : 4, ~0U, 0);
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3 && null >= 0; fd++)
        dup2(null, fd);
    char path[4096];
    size_t n = 0;
    for (ssize_t r; n < sizeof path - 1 && (r = read(3, path + n, sizeof path - 1 - n)) != 0;)
        if (r > 0)
            n += (size_t)r;
        else if (errno != EINTR)
            break;
    path[n] = '\0';
    rl_error_t e = RL_ERROR_INIT;
    /* a failure stays a leftover, swept later */
    if (n) rl_store_rm_detached(path, userns_fd >= 0 ? 4 : -1, &e);
    _exit(0);
}

/* --rm in the foreground: the container leaves the store before we
 * return, and a child of ours unlinks its files after, so the user's shell
 * does not wait for them. Without a child, all of it here. */
static int remove_behind(rl_store_t *s, const char *id, int userns_fd, rl_error_t *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return rl_ctr_remove_in(s, id, userns_fd, err);
    pid_t pid = fork();
    if (pid == 0) remover(p[0], userns_fd);
    close(p[0]);
    rl_autoclose int out = p[1];
    if (pid < 0) return rl_ctr_remove_in(s, id, userns_fd, err);
    rl_autofree char *tmp = NULL;
    if (rl_ctr_detach(s, id, pid, &tmp, err) < 0) return -1;
    if (tmp && rl_fs_write_all(out, tmp, strlen(tmp)) < 0)
        return rl_error_set(err, errno, "hand '%s' to its remover", tmp);
    return 0;
}

/* The container is gone for good: its record (or, --rm, the container),
 * then the attached clients learn the code. */
static void finish(mon_t *m, int code)
{
    rl_net_portfwd_unbind(m->o->fwd); /* free for others at once */
    if (m->o->rm) {
        rl_error_t e = RL_ERROR_INIT;
        int r = m->foreground ? remove_behind(m->o->s, m->o->id, m->userns_fd, &e)
                              : rl_ctr_remove_in(m->o->s, m->o->id, m->userns_fd, &e);
        if (r < 0) rl_warn("remove container %.12s: %s", m->o->id, e.msg);
        rl_error_clear(&e);
    } else {
        record_exit(m, code);
    }
    rl_mon_loop_say_exit(&m->l, code);
    if (m->attach_path) unlink(m->attach_path);
}

static void notify(mon_t *m)
{
    if (!m->o->notify_socket) return;
    char msg[64];
    snprintf(msg, sizeof msg, "MAINPID=%d%s", (int)getpid(), m->o->notify_ready ? "\nREADY=1" : "");
    rl_error_t e = RL_ERROR_INIT;
    if (rl_mon_sd_notify(m->o->notify_socket, msg, &e) < 0) rl_warn("%s", e.msg);
    rl_error_clear(&e);
}

static void setup_loop(mon_t *m)
{
    const rl_mon_opts_t *o = m->o;
    rl_mon_loop_init(&m->l);
    rl_error_t e = RL_ERROR_INIT;
    if (o->log_driver == RL_LOG_K8S_FILE) {
        rl_autofree char *p = rl_ctr_path(o->s, o->id, "ctr.log");
        m->l.log_on = rl_mon_log_open(p, o->log_max_size, &m->l.log, &e) == 0;
        rl_error_clear(&e);
    }
    m->attach_path = rl_mon_attach_path(o->id, true, &e);
    if (m->attach_path) m->l.listen = rl_mon_attach_listen(m->attach_path, &e);
    if (m->l.listen < 0) {
        rl_debug("no attach socket: %s", e.msg);
        free(m->attach_path);
        m->attach_path = NULL;
    }
    rl_error_clear(&e);
    if (o->attach_fd >= 0) rl_mon_loop_add_client(&m->l, o->attach_fd);
    if (m->foreground) {
        m->l.local_out = 1, m->l.local_err = 2;
    }
}

static void teardown(mon_t *m)
{
    if (m->userns_fd >= 0) close(m->userns_fd);
    rl_mon_loop_close(&m->l);
    rl_ctr_state_clear(&m->st);
    free(m->attach_path);
}

/* --log-driver passthrough: the terminal is relayed as `rl oci run` does
 * (both ways, raw); else the loop. */
static int wait_exit(mon_t *m)
{
    rl_mon_loop_t *l = &m->l;
    if (!m->foreground || m->o->log_driver != RL_LOG_PASSTHROUGH) return rl_mon_loop_wait(l);
    rl_error_t e = RL_ERROR_INIT;
    int code = rl_foreground_wait(l->pid, l->tty ? l->out : -1, &e);
    rl_error_clear(&e);
    l->pid = -1;
    l->in = -1;
    rl_mon_loop_wait_done(l);
    return code < 0 ? 125 : code;
}

/* Start, serve, restart by policy, finish. Returns the last exit code, or
 * -1 with err when the first start failed. on_started runs once then. */
static int serve(mon_t *m, void (*on_started)(mon_t *m), rl_error_t *err)
{
    rl_phase("monitor: starting");
    if (start_once(m, true, err) < 0) {
        runtime_cleanup(m);
        if (m->attach_path) unlink(m->attach_path);
        return -1;
    }
    notify(m);
    if (on_started) on_started(m);
    rl_phase("monitor: container started");
    int code;
    do {
        code = wait_exit(m);
        rl_phase("monitor: container exited");
        runtime_cleanup(m);
        rl_phase("monitor: runtime state deleted");
    } while (restart(m, code));
    finish(m, code);
    rl_phase("monitor: finished (--rm: removed)");
    return code;
}

/* --- foreground --- */

int rl_mon_foreground(const rl_mon_opts_t *o, rl_error_t *err)
{
    mon_t m = {.o = o, .foreground = true, .report = -1, .userns_fd = -1};
    if (o->monitor_pidfile) write_pidfile(o->monitor_pidfile, getpid());
    setup_loop(&m);
    sigset_t old;
    m.l.sigfd = rl_relay_signalfd(o->sig_proxy, 0, &old);
    signal(SIGPIPE, SIG_IGN);
    int code = serve(&m, NULL, err);
    teardown(&m);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return code;
}

/* --- detached --- */

/* To the rl that started us, in the executor's typed messages: READY, or
 * the error as it was made (errno, kind and exit code with it). */
static void report(int fd, rl_error_t *failed)
{
    rl_error_t ignored = RL_ERROR_INIT;
    if (failed)
        rl_sync_send_error(fd, failed, &ignored);
    else
        rl_sync_send(fd, RL_SYNC_READY, 0, NULL, -1, &ignored);
    rl_error_clear(&ignored);
    close(fd);
}

/* Running: the rl that started us may go; nothing of ours on its terminal. */
static void started(mon_t *m)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2), close(null);
    report(m->report, NULL);
    m->report = -1;
    rl_mon_trim();
}

static __attribute__((noreturn)) void monitor_main(const rl_mon_opts_t *o, int rep)
{
    rl_error_t err = RL_ERROR_INIT;
    mon_t m = {.o = o, .report = rep, .userns_fd = -1};
    /* no terminal after setsid: nothing sends SIGHUP or SIGINT; the
     * container's init resets what it inherits anyway */
    signal(SIGPIPE, SIG_IGN);
    setup_loop(&m);
    if (serve(&m, started, &err) < 0) {
        if (!err.exit) err.exit = 125;
        report(rep, &err);
        _exit(1);
    }
    teardown(&m);
    _exit(0);
}

static int read_report(int fd, rl_error_t *err)
{
    rl_sync_msg_t m;
    if (rl_sync_recv(fd, &m, err) < 0) return -1;
    if (m.type == RL_SYNC_READY) return 0;
    if (m.type == RL_SYNC_EOF)
        return rl_error_set(err, 0, "the container's monitor died while starting it");
    return rl_sync_unexpected(&m, err);
}

int rl_mon_start(const rl_mon_opts_t *o, rl_error_t *err)
{
    int p[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) < 0)
        return rl_error_set(err, errno, "socketpair");
    pid_t mid = fork();
    if (mid < 0) {
        close(p[0]), close(p[1]);
        return rl_error_set(err, errno, "fork the monitor");
    }
    if (mid == 0) {
        /* double fork: the monitor is nobody's child but init's (or the
         * user's subreaper, e.g. systemd --user) */
        close(p[0]);
        setsid();
        pid_t m = fork();
        if (m == 0) {
            if (o->attach_peer >= 0) close(o->attach_peer);
            if (o->monitor_pidfile) write_pidfile(o->monitor_pidfile, getpid());
            monitor_main(o, p[1]);
        }
        _exit(m < 0 ? 1 : 0);
    }
    close(p[1]);
    while (waitpid(mid, NULL, 0) < 0 && errno == EINTR) {
    }
    int r = read_report(p[0], err);
    close(p[0]);
    return r;
}
