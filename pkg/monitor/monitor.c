#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/runtime/state.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/platform.h"
#include "state.h"
#include "storage/containers.h"

/* Record a transition under the container's lock. */
static int save_state(const rl_monitor_opts_t *o, rl_ctr_state_t *st, rl_error_t *err)
{
    int fd = rl_ctr_lock(o->s, o->id, err);
    if (fd < 0) return -1;
    /* keep what rl stop asked for meanwhile */
    rl_ctr_state_t cur;
    rl_error_t ignored = RL_ERROR_INIT;
    if (rl_ctr_state_load(o->s, o->id, &cur, &ignored) == 0 && cur.stop_requested)
        st->stop_requested = true;
    rl_error_clear(&ignored);
    rl_ctr_state_clear(&cur);
    int r = rl_ctr_state_save(o->s, o->id, st, err);
    close(fd);
    return r;
}

static int launch(const rl_monitor_opts_t *o, rl_ctr_state_t *st, int *master, rl_error_t *err)
{
    pid_t pid = -1;
    rl_create_opts_t c = o->create;
    c.start = c.detach = true;
    c.pid_out = &pid;
    c.master_out = master;
    *master = -1;
    if (rl_container_create(&c, err) < 0) return -1;
    st->status = RL_CTR_RUNNING;
    st->pid = pid;
    st->monitor_pid = getpid();
    st->exit_code = -1;
    st->ephemeral = o->rm;
    free(st->started_at), free(st->finished_at);
    st->started_at = rl_now_rfc3339();
    st->finished_at = NULL;
    rl_ctr_proc_identity(pid, &st->pid_start, st->boot_id);
    rl_proc_start_time(st->monitor_pid, &st->monitor_start, NULL); /* same boot */
    return save_state(o, st, err);
}

/* The container has exited with code: runtime state gone, record it, and
 * for --rm the container too. */
static void finish(const rl_monitor_opts_t *o, rl_ctr_state_t *st, int code)
{
    rl_error_t e = RL_ERROR_INIT;
    if (rl_container_delete(o->create.root, o->id, true, &e) < 0) rl_error_clear(&e);
    if (o->rm) {
        if (rl_ctr_remove(o->s, o->id, &e) < 0) rl_error_clear(&e);
        return;
    }
    st->status = RL_CTR_EXITED;
    st->exit_code = code;
    st->finished_at = rl_now_rfc3339();
    if (save_state(o, st, &e) < 0) rl_error_clear(&e);
}

int rl_monitor_foreground(const rl_monitor_opts_t *o, rl_error_t *err)
{
    rl_ctr_state_t st = {0};
    int master = -1;
    if (launch(o, &st, &master, err) < 0) {
        rl_ctr_state_clear(&st);
        return -1;
    }
    int code = rl_foreground_wait(st.pid, master, err);
    if (master >= 0) close(master);
    finish(o, &st, code < 0 ? -1 : code);
    rl_ctr_state_clear(&st);
    return code;
}

/* --- detached --- */

typedef struct loop {
    int ep;
    int pidfd;
    int out, err; /* pipes (or out = the pty master) */
    rl_log_t log;
    bool logging;
} loop_t;

static void relay(loop_t *l, int *fd, const char *stream)
{
    char buf[16384];
    for (;;) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            if (l->logging) rl_log_write(&l->log, stream, buf, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        /* EOF, or EIO from a pty whose other side is gone */
        epoll_ctl(l->ep, EPOLL_CTL_DEL, *fd, NULL);
        close(*fd);
        *fd = -1;
        return;
    }
}

static int watch(int ep, int fd)
{
    if (fd < 0) return 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* The init's status; we are its subreaper, so collect orphans too. */
static int reap(pid_t pid)
{
    int status = 0, st;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    while (waitpid(-1, &st, WNOHANG | __WALL) > 0) {
    }
    return status;
}

static int wait_loop(loop_t *l, pid_t pid)
{
    for (bool exited = false; !exited;) {
        struct epoll_event ev[4];
        int n = epoll_wait(l->ep, ev, 4, -1);
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            if (fd == l->out)
                relay(l, &l->out, "stdout");
            else if (fd == l->err)
                relay(l, &l->err, "stderr");
            else if (fd == l->pidfd)
                exited = true;
        }
    }
    /* what the container wrote before it went */
    if (l->out >= 0) relay(l, &l->out, "stdout");
    if (l->err >= 0) relay(l, &l->err, "stderr");
    int status = reap(pid);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static void report(int fd, int code, const char *msg)
{
    char buf[2300];
    int n = snprintf(buf, sizeof buf, "%d %s", code, msg ? msg : "");
    if (write(fd, buf, (size_t)(n < (int)sizeof buf ? n : (int)sizeof buf - 1)) < 0) {
    }
    close(fd);
}

/* Container stdio: stdin /dev/null, stdout and stderr pipes to us. */
static int wire_stdio(int out[2], int errp[2])
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) return -1;
    dup2(null, 0);
    dup2(out[1], 1);
    dup2(errp[1], 2);
    close(out[1]), close(errp[1]), close(null);
    return 0;
}

static void drop_stdio(void)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) return;
    dup2(null, 1);
    dup2(null, 2);
    close(null);
}

static __attribute__((noreturn)) void monitor_main(const rl_monitor_opts_t *o, int rep)
{
    rl_error_t err = RL_ERROR_INIT;
    loop_t l = {.ep = -1, .pidfd = -1, .out = -1, .err = -1, .log = {.fd = -1}};
    int out[2], errp[2], master = -1;
    rl_ctr_state_t st = {0};
    /* no terminal after setsid: nothing sends SIGHUP or SIGINT; the
     * container's init resets what it inherits anyway */
    signal(SIGPIPE, SIG_IGN);
    if (wire_stdio(out, errp) < 0) {
        report(rep, 125, "set up the container's output pipes");
        _exit(1);
    }
    if (o->log_driver == RL_LOG_K8S_FILE) {
        rl_autofree char *p = rl_store_path(o->s, "containers/%s/ctr.log", o->id);
        l.logging = rl_log_open(p, o->log_max_size, &l.log, &err) == 0;
        if (!l.logging) rl_error_clear(&err);
    }
    if (launch(o, &st, &master, &err) < 0) {
        report(rep, err.exit ? err.exit : 125, err.msg);
        _exit(1);
    }
    drop_stdio();
    report(rep, 0, "");
    l.out = master >= 0 ? master : out[0];
    l.err = errp[0];
    if (master >= 0) close(out[0]);
    l.ep = epoll_create1(EPOLL_CLOEXEC);
    l.pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
    watch(l.ep, l.out), watch(l.ep, l.err);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l.pidfd};
    epoll_ctl(l.ep, EPOLL_CTL_ADD, l.pidfd, &ev);
    int code = wait_loop(&l, st.pid);
    finish(o, &st, code);
    rl_log_close(&l.log);
    _exit(0);
}

static int read_report(int fd, rl_error_t *err)
{
    char buf[2400];
    size_t len = 0;
    ssize_t n;
    while ((n = read(fd, buf + len, sizeof buf - 1 - len)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) len += (size_t)n;
    buf[len] = '\0';
    char *end;
    long code = strtol(buf, &end, 10);
    if (len == 0 || end == buf)
        return rl_error_set(err, 0, "the container's monitor died while starting it");
    if (code == 0) return 0;
    rl_error_set(err, 0, "%s", *end ? end + 1 : "start failed");
    err->exit = (int)code;
    return -1;
}

int rl_monitor_start(const rl_monitor_opts_t *o, rl_error_t *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
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
        if (m == 0) monitor_main(o, p[1]);
        _exit(m < 0 ? 1 : 0);
    }
    close(p[1]);
    while (waitpid(mid, NULL, 0) < 0 && errno == EINTR) {
    }
    int r = read_report(p[0], err);
    close(p[0]);
    return r;
}
