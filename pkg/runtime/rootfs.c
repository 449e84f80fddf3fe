/* SPDX-License-Identifier: Apache-2.0 */
/* overlay through the new mount API, one "lowerdir+" per layer so no
 * option string limits the layer count (kernel >= 6.8); the classic
 * lowerdir= string with short /proc/self/fd paths before that; or
 * fuse-overlayfs. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <linux/mount.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "sync.h"
#include "pkg/util/strbuf.h"

const char *rl_rootfs_driver_name(rl_rootfs_driver_t d)
{
    switch (d) {
    case RL_ROOTFS_OVERLAY:
        return "overlay";
    case RL_ROOTFS_FUSE_OVERLAYFS:
        return "fuse-overlayfs";
    case RL_ROOTFS_VFS:
        return "vfs";
    default:
        return "bundle";
    }
}

static int fscfg(int fd, unsigned cmd, const char *key, const char *val)
{
    return (int)syscall(SYS_fsconfig, fd, cmd, key, val, 0);
}

/* 1: mounted; 0: this kernel lacks lowerdir+ (use the string); -1: error. */
static int overlay_new_api(const rl_rootfs_t *r, const char *target, rl_error_t *err)
{
    rl_autoclose int fs = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (fs < 0) return rl_error_set(err, errno, "open overlay file system");
    for (size_t i = 0; r->lower[i]; i++) {
        if (fscfg(fs, FSCONFIG_SET_STRING, "lowerdir+", r->lower[i]) < 0) {
            if (errno == EINVAL && i == 0) return 0;
            return rl_error_set(err, errno, "overlay lower layer '%s'", r->lower[i]);
        }
    }
    if (fscfg(fs, FSCONFIG_SET_STRING, "upperdir", r->upper) < 0 ||
        fscfg(fs, FSCONFIG_SET_STRING, "workdir", r->work) < 0 ||
        (r->userxattr && fscfg(fs, FSCONFIG_SET_FLAG, "userxattr", NULL) < 0))
        return rl_error_set(err, errno, "configure overlay");
    if (r->volatile_upper && fscfg(fs, FSCONFIG_SET_FLAG, "volatile", NULL) < 0 && errno != EINVAL)
        return rl_error_set(err, errno, "configure overlay");
    if (fscfg(fs, FSCONFIG_CMD_CREATE, NULL, NULL) < 0)
        return rl_error_set(err, errno, "create overlay mount");
    rl_autoclose int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
    if (mnt < 0) return rl_error_set(err, errno, "overlay fsmount");
    if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return rl_error_set(err, errno, "mount overlay on '%s'", target);
    return 1;
}

/* Classic mount(2): lower dirs as /proc/self/fd/N keep the options short. */
static int overlay_string(const rl_rootfs_t *r, const char *target, rl_error_t *err)
{
    rl_strbuf_t o = {0};
    size_t n = rl_strv_len(r->lower);
    int *fds = xcalloc(n + 1, sizeof *fds);
    int ret = 0;
    rl_strbuf_append(&o, "lowerdir=");
    for (size_t i = 0; i < n && ret == 0; i++) {
        fds[i] = open(r->lower[i], O_PATH | O_DIRECTORY);
        if (fds[i] < 0) ret = rl_error_set(err, errno, "open layer '%s'", r->lower[i]);
        rl_strbuf_appendf(&o, "%s/proc/self/fd/%d", i ? ":" : "", fds[i]);
    }
    rl_strbuf_appendf(&o, ",upperdir=%s,workdir=%s%s", r->upper, r->work,
                      r->userxattr ? ",userxattr" : "");
    size_t plain = o.len;
    if (r->volatile_upper) rl_strbuf_append(&o, ",volatile");
    int m = ret == 0 ? mount("overlay", target, "overlay", 0, rl_strbuf_str(&o)) : 0;
    if (m < 0 && errno == EINVAL && o.len > plain) {
        o.buf[plain] = '\0', o.len = plain; /* a kernel before volatile (5.10) */
        m = mount("overlay", target, "overlay", 0, rl_strbuf_str(&o));
    }
    if (m < 0) ret = rl_error_set(err, errno, "mount overlay on '%s'", target);
    for (size_t i = 0; i < n; i++)
        if (fds[i] > 0) close(fds[i]);
    free(fds);
    rl_strbuf_free(&o);
    return ret;
}

/* We mount the FUSE file system ourselves and hand fuse-overlayfs the
 * /dev/fuse fd ("/dev/fd/N" as its mount point). The daemon runs outside
 * the container: in its user namespace (as root there, to own the upper
 * dir's files), in the parent's mount namespace (the host's view of the
 * store) and pid namespace (out of the container's sight). */
static __attribute__((noreturn)) void fuse_daemon(const rl_rootfs_t *r, int fd, int userns)
{
    struct stat a, b;
    /* rl as root may run the container without a user namespace of its own */
    bool same = fstat(userns, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 &&
                a.st_ino == b.st_ino && a.st_dev == b.st_dev;
    if (!same &&
        (setns(userns, CLONE_NEWUSER) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
        _exit(1);
    /* Nothing of the parent (sync socket, pty, monitor's fds) stays open here. */
    if (dup2(fd, 3) < 0) _exit(1);
    syscall(SYS_close_range, 4, ~0U, 0);
    rl_strbuf_t o = {0};
    rl_strbuf_append(&o, "lowerdir=");
    for (size_t i = 0; r->lower[i]; i++)
        rl_strbuf_appendf(&o, "%s%s", i ? ":" : "", r->lower[i]);
    rl_strbuf_appendf(&o, ",upperdir=%s,workdir=%s", r->upper, r->work);
    if (r->uidmapping) rl_strbuf_appendf(&o, ",uidmapping=%s", r->uidmapping);
    if (r->gidmapping) rl_strbuf_appendf(&o, ",gidmapping=%s", r->gidmapping);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2);
    char *argv[] = {"fuse-overlayfs", "-f", "-o", (char *)rl_strbuf_str(&o), "/dev/fd/3", NULL};
    execvp(argv[0], argv);
    _exit(127);
}

int rl_rootfs_fuse_serve(const rl_rootfs_t *r, int fuse_fd, int userns_fd, rl_error_t *err)
{
    /* double fork: the daemon is nobody's child to wait for; it goes to
     * the nearest subreaper (the monitor) or the host's init */
    pid_t mid = fork();
    if (mid < 0) return rl_error_set(err, errno, "fork fuse-overlayfs");
    if (mid == 0) {
        setsid();
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        pid_t pid = fork();
        if (pid == 0) fuse_daemon(r, fuse_fd, userns_fd);
        _exit(pid < 0 ? 1 : 0);
    }
    int st;
    while (waitpid(mid, &st, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st)) return rl_error_set(err, 0, "fork fuse-overlayfs");
    return 0;
}

static int send_fd(int sync_fd, int which, int fd, rl_error_t *err)
{
    return rl_sync_send(sync_fd, RL_SYNC_FUSE, which, NULL, fd, err);
}

static int fuse_overlayfs(const char *target, int sync_fd, rl_error_t *err)
{
    rl_autoclose int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "open /dev/fuse");
    char opts[160];
    snprintf(opts, sizeof opts,
             "fd=%d,rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other", fd);
    if (mount("fuse-overlayfs", target, "fuse.fuse-overlayfs", MS_NODEV | MS_NOSUID, opts) < 0)
        return rl_error_set(err, errno, "mount fuse-overlayfs on '%s'", target);
    rl_autoclose int userns = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
    if (userns < 0) return rl_error_set(err, errno, "open /proc/self/ns/user");
    if (send_fd(sync_fd, 1, userns, err) < 0 || send_fd(sync_fd, 0, fd, err) < 0) return -1;
    return 0;
}

int rl_rootfs_mount(const rl_rootfs_t *r, const char *target, int sync_fd, rl_error_t *err)
{
    switch (r->driver) {
    case RL_ROOTFS_OVERLAY: {
        int m = overlay_new_api(r, target, err);
        if (m != 0) return m < 0 ? -1 : 0;
        return overlay_string(r, target, err);
    }
    case RL_ROOTFS_FUSE_OVERLAYFS:
        return fuse_overlayfs(target, sync_fd, err);
    default:
        return 0; /* bundle and vfs: root.path is ready */
    }
}
