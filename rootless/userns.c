/* SPDX-License-Identifier: Apache-2.0 */
/* Short-lived children in the storage user namespace (see userns.h). */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "idmap.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"

/* Looked up once per process: the warning about a missing range is said once. */
static int default_maps(rl_idmap_t **u, size_t *nu, rl_idmap_t **g, size_t *ng, rl_error_t *err)
{
    static rl_idmap_t *uids, *gids;
    static size_t n_uids, n_gids;
    if (!uids && rl_idmap_default(getuid(), getgid(), &uids, &n_uids, &gids, &n_gids, err) < 0)
        return -1;
    *u = uids, *nu = n_uids, *g = gids, *ng = n_gids;
    return 0;
}

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        s += w, n -= (size_t)w;
    }
}

static __attribute__((noreturn)) void child_main(rl_userns_fn fn, void *arg, int go, int report,
                                                 bool userns, int join_fd)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = {0};
    char c;
    if (join_fd >= 0) {
        /* a container's namespace, mapped already: ours to enter as its owner */
        if (setns(join_fd, CLONE_NEWUSER) < 0) {
            rl_error_set(&err, errno, "join the container's user namespace");
            goto fail;
        }
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
            rl_error_set(&err, errno, "become root in the container's user namespace");
            goto fail;
        }
        (void)setgroups(0, NULL);
    } else if (userns) {
        if (unshare(CLONE_NEWUSER) < 0) {
            rl_error_set(&err, errno, "create a user namespace for storage");
            goto fail;
        }
        write_all(report, "u", 1);          /* tell the parent to write our maps */
        if (read(go, &c, 1) != 1) _exit(1); /* the parent gave up */
        /* setgroups is denied with a single-id map written directly: ignore. */
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
            rl_error_set(&err, errno, "become root in the storage user namespace");
            goto fail;
        }
        (void)setgroups(0, NULL);
    }
    if (fn(arg, &out, &err) < 0) goto fail;
    write_all(report, "0", 1);
    write_all(report, out.buf ? out.buf : "", out.len);
    _exit(0);
fail:
    write_all(report, "1", 1);
    write_all(report, err.msg ? err.msg : "storage child failed",
              strlen(err.msg ? err.msg : "storage child failed"));
    _exit(1);
}

static int map_child(pid_t pid, int report, int go, rl_error_t *err)
{
    char c;
    ssize_t r;
    while ((r = read(report, &c, 1)) < 0 && errno == EINTR) {
    }
    if (r != 1 || c != 'u') return 0; /* it failed before: its report says why */
    rl_idmap_t *u, *g;
    size_t nu, ng;
    if (default_maps(&u, &nu, &g, &ng, err) < 0 || rl_idmap_apply(pid, u, nu, g, ng, err) < 0)
        return -1;
    write_all(go, "g", 1);
    return 0;
}

static int start_job(rl_userns_fn fn, void *arg, int join_fd, rl_userns_job_t *job, rl_error_t *err)
{
    bool userns = geteuid() != 0 && join_fd < 0;
    int go[2], report[2];
    if (pipe2(go, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
    if (pipe2(report, O_CLOEXEC) < 0) {
        close(go[0]), close(go[1]);
        return rl_error_set(err, errno, "pipe");
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(go[0]), close(go[1]), close(report[0]), close(report[1]);
        return rl_error_set(err, errno, "fork");
    }
    if (pid == 0) {
        /* Our work is only kept by the parent (a layer is renamed into
         * place by it): orphaned, we would hold its locks for nothing. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        close(go[1]), close(report[0]);
        child_main(fn, arg, go[0], report[1], userns, join_fd);
    }
    close(go[0]), close(report[1]);
    rl_autoclose int gofd = go[1];
    job->pid = pid;
    job->fd = report[0];
    if (userns && map_child(pid, job->fd, gofd, err) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(job->fd);
        return -1;
    }
    return 0;
}

int rl_userns_start(rl_userns_fn fn, void *arg, rl_userns_job_t *job, rl_error_t *err)
{
    return start_job(fn, arg, -1, job, err);
}

int rl_userns_wait(rl_userns_job_t *job, rl_strbuf_t *out, rl_error_t *err)
{
    rl_autofree char *text = NULL;
    size_t len = 0;
    rl_error_t rerr = RL_ERROR_INIT;
    int r = rl_fs_read_fd(job->fd, "storage child report", 1 << 20, &text, &len, &rerr);
    close(job->fd);
    int status;
    while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (r < 0) return rl_error_set(err, 0, "%s", rerr.msg), rl_error_clear(&rerr), -1;
    if (len > 0 && text[0] == '0' && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (out) rl_strbuf_append_n(out, text + 1, len - 1);
        return 0;
    }
    if (len > 1 && text[0] == '1') return rl_error_set(err, 0, "%s", text + 1);
    if (WIFSIGNALED(status))
        return rl_error_set(err, 0, "storage child killed by signal %d", WTERMSIG(status));
    return rl_error_set(err, 0, "storage child failed");
}

int rl_userns_run(rl_userns_fn fn, void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    rl_userns_job_t job;
    if (rl_userns_start(fn, arg, &job, err) < 0) return -1;
    return rl_userns_wait(&job, out, err);
}

static int rm_fn(void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    (void)out;
    return rl_fs_rm_rf((const char *)arg, err);
}

int rl_userns_rm_rf(const char *path, rl_error_t *err)
{
    return rl_userns_run(rm_fn, (void *)path, NULL, err);
}

int rl_userns_rm_rf_in(const char *path, int ns_fd, rl_error_t *err)
{
    if (ns_fd < 0) return rl_userns_rm_rf(path, err);
    rl_userns_job_t job;
    if (start_job(rm_fn, (void *)path, ns_fd, &job, err) < 0) return -1;
    return rl_userns_wait(&job, NULL, err);
}
