/* SPDX-License-Identifier: Apache-2.0 */
#include "process.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "sync.h"
#include "trampoline.h"

#define DEFAULT_PATH      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define CAP_SYS_ADMIN_BIT (1ULL << 21)

static const char *env_get(char **env, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; env && env[i]; i++)
        if (!strncmp(env[i], name, n) && env[i][n] == '=') return env[i] + n + 1;
    return NULL;
}

static int set_rlimits(const rl_spec_process_t *p, rl_error_t *err)
{
    for (size_t i = 0; i < p->n_rlimits; i++) {
        struct rlimit rl = {.rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard};
        if (setrlimit(p->rlimits[i].resource, &rl) < 0)
            return rl_error_set(err, errno, "process.rlimits[%zu]: setrlimit", i);
    }
    return 0;
}

int rl_process_set_oom(const rl_spec_process_t *p, rl_error_t *err)
{
    if (!p->has_oom_score_adj) return 0;
    char buf[16];
    snprintf(buf, sizeof buf, "%d", p->oom_score_adj);
    if (rl_fs_write_string("/proc/self/oom_score_adj", buf, err) < 0)
        return rl_error_wrap(err, "process.oomScoreAdj %d (an unprivileged user can only raise it)",
                             p->oom_score_adj);
    return 0;
}

static int set_apparmor(const rl_spec_process_t *p, rl_error_t *err)
{
    if (!p->apparmor_profile) return 0;
    char *en = NULL;
    rl_error_t ignored = RL_ERROR_INIT;
    bool enabled =
        rl_fs_read_file("/sys/module/apparmor/parameters/enabled", 16, &en, NULL, &ignored) == 0 &&
        en[0] == 'Y';
    rl_error_clear(&ignored);
    free(en);
    if (!enabled) {
        rl_debug("apparmor is not enabled: profile '%s' not applied", p->apparmor_profile);
        return 0;
    }
    rl_autofree char *cmd = xasprintf("exec %s", p->apparmor_profile);
    if (rl_fs_write_string("/proc/self/attr/apparmor/exec", cmd, &ignored) == 0) return 0;
    rl_error_clear(&ignored);
    return rl_fs_write_string("/proc/self/attr/exec", cmd, err);
}

static int exe_error(rl_error_t *err, int code, const char *arg, const char *why)
{
    rl_error_set(err, 0, "exec: \"%s\": %s", arg, why);
    err->exit = code;
    return -1;
}

/* Check one candidate: 1 found, 0 missing, -errno when it is there but
 * cannot run (not executable, a directory, a symlink loop): never ENOENT,
 * so rl_process_exec_error makes those 126. */
static int try_exe(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
    if (S_ISDIR(st.st_mode)) return -EACCES;
    if (access(path, X_OK) < 0) return -errno;
    return 1;
}

static int find_exe(const rl_spec_process_t *p, char **out, rl_error_t *err)
{
    const char *arg = p->args[0];
    if (!*arg) return exe_error(err, 127, arg, "executable file not found in $PATH");
    if (strchr(arg, '/')) {
        int r = try_exe(arg);
        if (r == 0) return exe_error(err, 127, arg, "no such file or directory");
        if (r < 0) return rl_process_exec_error(err, arg, -r);
        *out = xstrdup(arg);
        return 0;
    }
    const char *path = env_get(p->env, "PATH");
    rl_autofree char *dirs = xstrdup(path ? path : DEFAULT_PATH);
    int denied = 0;
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        rl_autofree char *cand = xasprintf("%s/%s", *d ? d : ".", arg);
        int r = try_exe(cand);
        if (r > 0) {
            *out = rl_steal_ptr(&cand);
            return 0;
        }
        if (r < 0 && !denied) denied = -r;
    }
    if (denied) return rl_process_exec_error(err, arg, denied);
    return exe_error(err, 127, arg, "executable file not found in $PATH");
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Close every fd from `from` up, except those in keep (our sync sockets,
 * which are close-on-exec: execve closes them, telling the starter it worked). */
static int close_fds_from(int from, const int *keep, size_t n, rl_error_t *err)
{
    int k[8];
    size_t m = 0;
    for (size_t i = 0; i < n && m < 8; i++)
        if (keep[i] >= from) k[m++] = keep[i];
    qsort(k, m, sizeof k[0], cmp_int);
    unsigned lo = (unsigned)from;
    for (size_t i = 0; i <= m; i++) {
        unsigned hi = i < m ? (unsigned)k[i] - 1 : ~0U;
        if (hi >= lo && syscall(SYS_close_range, lo, hi, 0) < 0)
            return rl_error_set(err, errno, "close_range");
        if (i < m) lo = (unsigned)k[i] + 1;
    }
    return 0;
}

static int fd_hygiene(const rl_process_ctx_t *ctx, rl_error_t *err)
{
    const char *lf = getenv("LISTEN_FDS");
    int keep = ctx->preserve_fds + (lf ? atoi(lf) : 0);
    if (keep < 0 || keep > 65536) keep = 0;
    /* The container sees 0, 1, 2 and the fds passed on, nothing else: not
     * even while it waits to be started. */
    if (close_fds_from(3 + keep, ctx->keep_fds, ctx->n_keep_fds, err) < 0) return -1;
    for (int fd = 3; fd < 3 + keep; fd++) {
        int fl = fcntl(fd, F_GETFD);
        if (fl >= 0) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
    }
    return 0;
}

int rl_process_prepare(rl_process_ctx_t *ctx, rl_error_t *err)
{
    const rl_spec_process_t *p = ctx->proc;
    if (set_rlimits(p, err) < 0 || set_apparmor(p, err) < 0) return -1;
    if (chdir(p->cwd) < 0) return rl_error_set(err, errno, "process.cwd '%s'", p->cwd);
    if (p->user.umask >= 0) umask((mode_t)p->user.umask);
    if (find_exe(p, &ctx->exe, err) < 0 || fd_hygiene(ctx, err) < 0) return -1;
    /* now, before any seccomp filter: memfd_create may be forbidden later */
    ctx->tfd = rl_trampoline_open(err);
    return ctx->tfd < 0 ? -1 : 0;
}

static bool setgroups_denied(void)
{
    char *s = NULL;
    rl_error_t ignored = RL_ERROR_INIT;
    bool deny = rl_fs_read_file("/proc/self/setgroups", 64, &s, NULL, &ignored) == 0 &&
                !strncmp(s, "deny", 4);
    rl_error_clear(&ignored);
    free(s);
    return deny;
}

static int set_user(const rl_spec_user_t *u, rl_error_t *err)
{
    if (setgroups_denied()) {
        /* single-id mapping: setgroups(2) is off in this user namespace */
        if (u->n_gids)
            return rl_error_set(err, 0,
                                "process.user.additionalGids: setgroups is "
                                "denied in this user namespace");
    } else if (setgroups(u->n_gids, (const gid_t *)u->gids) < 0) {
        return rl_error_set(err, errno, "setgroups");
    }
    if (setresgid(u->gid, u->gid, u->gid) < 0)
        return rl_error_set(err, errno, "setgid %u (is it mapped in the user namespace?)", u->gid);
    /* Keep the permitted set across the uid change; rl_caps_apply sets it. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return rl_error_set(err, errno, "PR_SET_KEEPCAPS");
    if (setresuid(u->uid, u->uid, u->uid) < 0)
        return rl_error_set(err, errno, "setuid %u (is it mapped in the user namespace?)", u->uid);
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    return 0;
}

static int load_seccomp(const rl_seccomp_t *sc, int sync_fd, rl_error_t *err)
{
    int fd = rl_seccomp_load(sc, err);
    if (fd < 0) return -1;
    if (sc->notify) {
        int r = rl_sync_send(sync_fd, RL_SYNC_SECCOMP_FD, 0, NULL, fd, err);
        close(fd);
        return r;
    }
    return 0;
}

static void set_home(const rl_spec_process_t *p, char ***env)
{
    if (env_get(*env, "HOME")) return;
    const char *home = "/";
    FILE *f = fopen("/etc/passwd", "re");
    struct passwd *pw;
    while (f && (pw = fgetpwent(f)))
        if (pw->pw_uid == p->user.uid && pw->pw_dir && *pw->pw_dir) {
            home = pw->pw_dir;
            break;
        }
    size_t n = rl_strv_len(*env);
    *env = xreallocarray(*env, n + 2, sizeof **env);
    (*env)[n] = xasprintf("HOME=%s", home);
    (*env)[n + 1] = NULL;
    if (f) fclose(f);
}

int rl_process_exec_error(rl_error_t *err, const char *arg, int e)
{
    rl_error_set(err, e, "exec: \"%s\"", arg);
    err->exit = e == ENOENT ? 127 : 126;
    return -1;
}

int rl_process_set_dumpable(bool on, rl_error_t *err)
{
    if (prctl(PR_SET_DUMPABLE, on ? 1 : 0, 0, 0, 0) < 0)
        return rl_error_set(err, errno, "PR_SET_DUMPABLE");
    return 0;
}

void rl_process_block_signals(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
}

/* The process starts with every signal at its default and none blocked,
 * whatever rl (or whoever started rl) had: a shell cannot trap a signal it
 * found ignored, so an inherited SIG_IGN would make a stop signal useless.
 * What arrived while rl set up (blocked since rl_process_block_signals) is
 * dropped on the way: SIG_IGN discards a pending signal. unblock: false on
 * the way to the trampoline, which drops what comes later and unblocks
 * only then (until execveat, this process is rl, not the container's). */
static void reset_signals(bool unblock)
{
    /* the kernel's call: libc's refuses the signals it keeps for itself
     * (32 and 33), which a caller may still have ignored */
    struct {
        unsigned long handler, flags, restorer, mask;
    } ign = {(unsigned long)SIG_IGN, 0, 0, 0}, dfl = {(unsigned long)SIG_DFL, 0, 0, 0};
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) {
            syscall(SYS_rt_sigaction, sig, &ign, NULL, sizeof ign.mask);
            syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
        }
    if (!unblock) return;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The pipe's read end goes to the parent, which reads the command's
 * execve error from it, or EOF once the command runs. */
static int error_pipe(const rl_spec_process_t *p, int sync_fd, rl_error_t *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) return rl_error_set(err, errno, "exec: error pipe");
    int r = rl_sync_send(sync_fd, RL_SYNC_EXEC_ERR, 0, p->args[0], fds[0], err);
    close(fds[0]);
    if (r < 0) {
        close(fds[1]);
        return -1;
    }
    return fds[1];
}

/* Through the trampoline, with no effective capability: the memfd is
 * execute-only, and unreadable makes the kernel keep the trampoline
 * non-dumpable. Where a seccomp profile forbids what that takes (capset,
 * execveat), a plain execve. */
static int run_command(rl_process_ctx_t *ctx, int efd, char **env, rl_error_t *err)
{
    const rl_spec_process_t *p = ctx->proc;
    rl_spec_caps_t noeff = p->caps;
    noeff.sets[RL_CAP_EFFECTIVE] = 0;
    /* a profile that kills on capset or execveat must not kill us for them */
    const uint64_t none[6] = {0}, at[6] = {(uint64_t)ctx->tfd, 0, 0, 0, AT_EMPTY_PATH, 0};
    bool bare = rl_seccomp_returns(ctx->seccomp, SYS_capset, none) &&
                rl_seccomp_returns(ctx->seccomp, SYS_execveat, at);
    rl_error_t ignored = RL_ERROR_INIT;
    bare = bare && rl_caps_apply(&noeff, &ignored) == 0;
    rl_error_clear(&ignored);
    reset_signals(!bare);
    if (bare) {
        int fl = fcntl(efd, F_GETFD);
        fcntl(efd, F_SETFD, fl & ~FD_CLOEXEC);
        rl_trampoline_exec(ctx->tfd, efd, ctx->exe, p->args, env);
        rl_debug("exec trampoline refused (%s): plain execve", strerror(errno));
        if (rl_caps_apply(&p->caps, err) < 0) return -1;
        reset_signals(true);
    }
    close(efd);
    execve(ctx->exe, p->args, env);
    return rl_process_exec_error(err, p->args[0], errno);
}

int rl_process_exec(rl_process_ctx_t *ctx, int sync_fd, rl_error_t *err)
{
    const rl_spec_process_t *p = ctx->proc;
    const rl_seccomp_t *sc = ctx->seccomp;
    /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it
     * while we still have it (as runc does), else as late as possible. */
    bool late = p->no_new_privileges || (p->caps.sets[RL_CAP_EFFECTIVE] & CAP_SYS_ADMIN_BIT);
    /* before any seccomp filter, which may forbid pipe2 or sendmsg */
    int efd = error_pipe(p, sync_fd, err);
    if (efd < 0) return -1;
    char **env = rl_strv_dup(p->env);
    set_home(p, &env);
    int r = 0;
    if (sc && !late) r = load_seccomp(sc, sync_fd, err);
    if (r == 0) r = rl_caps_drop_bounding(&p->caps, err);
    if (r == 0) r = set_user(&p->user, err);
    if (r == 0) r = rl_caps_apply(&p->caps, err);
    if (r == 0 && p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        r = rl_error_set(err, errno, "set no_new_privs");
    if (r == 0 && sc && late) r = load_seccomp(sc, sync_fd, err);
    if (r == 0 && chdir(p->cwd) < 0) r = rl_error_set(err, errno, "process.cwd '%s'", p->cwd);
    if (r == 0)
        run_command(ctx, efd, env, err);
    else
        close(efd);
    rl_strv_free(env);
    return -1;
}
