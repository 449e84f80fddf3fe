/* SPDX-License-Identifier: Apache-2.0 */
#include "mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mountopts.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/copytree.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "resolve.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static uint64_t ms_to_attr(unsigned long ms)
{
    uint64_t a = 0;
    if (ms & MS_RDONLY) a |= MOUNT_ATTR_RDONLY;
    if (ms & MS_NOSUID) a |= MOUNT_ATTR_NOSUID;
    if (ms & MS_NODEV) a |= MOUNT_ATTR_NODEV;
    if (ms & MS_NOEXEC) a |= MOUNT_ATTR_NOEXEC;
    if (ms & MS_NODIRATIME) a |= MOUNT_ATTR_NODIRATIME;
    return a;
}

static int setattr(int fd, uint64_t set, uint64_t clr, bool rec)
{
    struct mount_attr attr = {.attr_set = set, .attr_clr = clr};
    return (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr,
                        sizeof attr);
}

int rl_mount_set_flags(int fd, unsigned long set, unsigned long clear, bool rec, rl_error_t *err)
{
    uint64_t aset = ms_to_attr(set), aclr = ms_to_attr(clear);
    if (set & MS_NOATIME) aset |= MOUNT_ATTR_NOATIME, aclr |= MOUNT_ATTR__ATIME;
    if (set & MS_STRICTATIME) aset |= MOUNT_ATTR_STRICTATIME, aclr |= MOUNT_ATTR__ATIME;
    if (set & MS_RELATIME) aset |= MOUNT_ATTR_RELATIME, aclr |= MOUNT_ATTR__ATIME;
    if (!aset && !aclr) return 0;
    if (setattr(fd, aset, aclr, rec) == 0) return 0;
    /* In a user namespace the kernel locks flags inherited from the host
     * (nosuid, nodev, ro, ...): clearing them fails, so keep them set. */
    if (errno == EPERM && aclr && setattr(fd, aset, aclr & MOUNT_ATTR__ATIME, rec) == 0) return 0;
    if (errno != ENOSYS) return rl_error_set(err, errno, "set mount flags");
    char p[RL_FD_PATH_MAX];
    struct statvfs sv;
    if (fstatvfs(fd, &sv) < 0) return rl_error_set(err, errno, "statvfs");
    unsigned long locked =
        (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
        (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0) | (sv.f_flag & ST_RDONLY ? MS_RDONLY : 0);
    if (mount(NULL, rl_fd_path(fd, p), NULL, MS_BIND | MS_REMOUNT | set | locked, NULL) < 0)
        return rl_error_set(err, errno, "remount");
    return 0;
}

int rl_mount_bind_fd(int srcfd, int rootfd, const char *dest, bool dir, bool rec, rl_error_t *err)
{
    char sp[RL_FD_PATH_MAX], dp[RL_FD_PATH_MAX];
    if (rl_ensure_in_root(rootfd, dest, dir, err) < 0) return -1;
    rl_autoclose int dfd = rl_open_in_root(rootfd, dest, O_PATH, err);
    if (dfd < 0) return -1;
    if (mount(rl_fd_path(srcfd, sp), rl_fd_path(dfd, dp), NULL, MS_BIND | (rec ? MS_REC : 0),
              NULL) < 0)
        return rl_error_set(err, errno, "bind mount on '%s'", dest);
    return 0;
}

static char *bind_source(const rl_spec_t *spec, const char *src)
{
    if (src[0] == '/') return xstrdup(src);
    return xasprintf("%s/%s", spec->bundle, src);
}

static int mount_bind(int rootfd, const rl_spec_t *spec, const rl_spec_mount_t *m,
                      const rl_mount_opts_t *o, rl_error_t *err)
{
    if (!m->source) return rl_error_set(err, 0, "bind mount needs a source");
    rl_autofree char *src = bind_source(spec, m->source);
    rl_autoclose int sfd = open(src, O_PATH | O_CLOEXEC);
    if (sfd < 0) return rl_error_set(err, errno, "bind source '%s'", src);
    struct stat st;
    if (fstat(sfd, &st) < 0) return rl_error_set(err, errno, "stat '%s'", src);
    if (rl_mount_bind_fd(sfd, rootfd, m->destination, S_ISDIR(st.st_mode), o->recursive, err) < 0)
        return -1;
    unsigned long set = o->flags & ~(MS_REMOUNT | MS_BIND | MS_REC);
    if (!set && !o->clear) return 0;
    rl_autoclose int mfd = rl_open_in_root(rootfd, m->destination, O_PATH, err);
    if (mfd < 0) return -1;
    return rl_mount_set_flags(mfd, set, o->clear, false, err);
}

/* When the kernel refuses a fresh proc/sysfs/mqueue/cgroup mount (a namespace
 * we do not own), bind the host's instance as rootless runc and crun do. */
static const char *fallback_source(const char *type)
{
    if (!strcmp(type, "proc")) return "/proc";
    if (!strcmp(type, "sysfs")) return "/sys";
    if (!strcmp(type, "mqueue")) return "/dev/mqueue";
    if (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2")) return "/sys/fs/cgroup";
    return NULL;
}

static int mount_fallback(int rootfd, const rl_spec_mount_t *m, const rl_mount_opts_t *o,
                          const char *host, rl_error_t *err)
{
    rl_debug("mount %s on '%s' refused; binding the host's '%s'", m->type, m->destination, host);
    rl_autoclose int sfd = open(host, O_PATH | O_CLOEXEC);
    if (sfd < 0) return rl_error_set(err, errno, "open '%s'", host);
    if (rl_mount_bind_fd(sfd, rootfd, m->destination, true, true, err) < 0) return -1;
    rl_autoclose int mfd = rl_open_in_root(rootfd, m->destination, O_PATH, err);
    if (mfd < 0) return -1;
    return rl_mount_set_flags(mfd, o->flags & ~MS_REMOUNT, 0, true, err);
}

static bool host_cgroup2(void)
{
    struct statfs sf;
    return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* tmpcopyup (crun's, podman's --tmpfs): the new tmpfs starts with a copy of
 * what the image has at its destination, owners and modes kept. The directory
 * is opened before the mount covers it; that fd still reads what lies below. */
static int mount_copyup(int rootfd, const rl_spec_mount_t *m, const rl_mount_opts_t *o, int dfd,
                        const char *src, const char *dp, rl_error_t *err)
{
    rl_autoclose int below = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (below < 0) return rl_error_set(err, errno, "open '%s'", m->destination);
    struct stat st;
    if (fstat(below, &st) < 0) return rl_error_set(err, errno, "stat '%s'", m->destination);
    if (mount(src, dp, "tmpfs", o->flags & ~MS_RDONLY, o->data) < 0)
        return rl_error_set(err, errno, "mount tmpfs on '%s'", m->destination);
    rl_autoclose int top = rl_open_in_root(rootfd, m->destination, O_RDONLY | O_DIRECTORY, err);
    rl_copytree_t how = {0};
    if (top < 0 || rl_copytree(&how, below, top, err) < 0 ||
        rl_copytree_set_owner(&how, top, &st, m->destination, err) < 0)
        return rl_error_wrap(err, "tmpcopyup");
    /* a read-only tmpfs is filled first, then made read-only */
    if ((o->flags & MS_RDONLY) && rl_mount_set_flags(top, MS_RDONLY, 0, false, err) < 0) return -1;
    return 0;
}

static int mount_fs(int rootfd, const rl_spec_mount_t *m, const rl_mount_opts_t *o, rl_error_t *err)
{
    const char *type = m->type;
    if (!strcmp(type, "cgroup")) {
        /* cgroup v1 hierarchies cannot be mounted in a user namespace: bind them. */
        if (!host_cgroup2()) return mount_fallback(rootfd, m, o, "/sys/fs/cgroup", err);
        type = "cgroup2";
    }
    if (rl_ensure_in_root(rootfd, m->destination, true, err) < 0) return -1;
    rl_autoclose int dfd = rl_open_in_root(rootfd, m->destination, O_PATH, err);
    if (dfd < 0) return -1;
    char dp[RL_FD_PATH_MAX];
    rl_fd_path(dfd, dp);
    const char *src = m->source ? m->source : type;
    if (o->copyup) return mount_copyup(rootfd, m, o, dfd, src, dp, err);
    if (mount(src, dp, type, o->flags, o->data) == 0) return 0;
    int saved = errno;
    if (!strcmp(type, "devpts") && saved == EINVAL && o->data && strstr(o->data, "gid=")) {
        /* gid 5 (tty) is not mapped with a single-id mapping: drop the option */
        rl_autofree char *data = xstrdup(o->data);
        char *g = strstr(data, "gid=");
        char *end = strchr(g, ',');
        memmove(g, end ? end + 1 : g + strlen(g), strlen(end ? end + 1 : "") + 1);
        if (mount(src, dp, type, o->flags, data) == 0) return 0;
    }
    const char *host = fallback_source(type);
    if (host && (saved == EPERM || saved == EBUSY || saved == EACCES))
        return mount_fallback(rootfd, m, o, host, err);
    return rl_error_set(err, saved, "mount %s on '%s'", type, m->destination);
}

static bool same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Files of procfs that a bind may cover, as runc allows (lxcfs' views). */
static bool proc_bind_allowed(const char *dest)
{
    static const char *const ok[] = {"/proc/cpuinfo", "/proc/diskstats",
                                     "/proc/meminfo", "/proc/stat",
                                     "/proc/swaps",   "/proc/uptime",
                                     "/proc/loadavg", "/proc/slabinfo",
                                     "/proc/net/dev", "/proc/sys/kernel/ns_last_pid"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(dest, ok[i])) return true;
    return false;
}

/* Where the destination resolves (inside the root) decides what may go
 * there: never the root itself (a symlink to '/'), on /proc only a proc
 * filesystem, within procfs only the few files runc allows. */
static int check_destination(int rootfd, const rl_spec_mount_t *m, rl_error_t *err)
{
    rl_error_t ignore = RL_ERROR_INIT;
    rl_autoclose int dfd = rl_open_in_root(rootfd, m->destination, O_PATH, &ignore);
    rl_error_clear(&ignore);
    if (dfd < 0) return 0; /* made fresh inside the root when mounted */
    if (same_file(dfd, rootfd))
        return rl_error_set(err, 0,
                            "the destination resolves to the container's root '/': mount "
                            "somewhere else");
    bool is_proc = m->type && !strcmp(m->type, "proc");
    rl_autoclose int pfd = openat(rootfd, "proc", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (pfd >= 0 && same_file(dfd, pfd) && !is_proc)
        return rl_error_set(err, 0, "only a proc filesystem can be mounted on /proc");
    struct statfs sf;
    if (!is_proc && fstatfs(dfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC &&
        !proc_bind_allowed(m->destination))
        return rl_error_set(err, 0,
                            "the destination is inside /proc: refused (only /proc "
                            "itself, as proc, or runc's few procfs files)");
    return 0;
}

static int mount_one(int rootfd, const rl_spec_t *spec, const rl_spec_mount_t *m, rl_error_t *err)
{
    rl_mount_opts_t o;
    if (rl_mount_opts_parse(m->options, &o, err) < 0) return -1;
    bool bind = o.bind || (m->type && !strcmp(m->type, "bind"));
    int r;
    if (!bind && !m->type)
        r = rl_error_set(err, 0, "no type given (and not a bind mount)");
    else if (o.copyup && (bind || strcmp(m->type, "tmpfs")))
        r = rl_error_set(err, 0, "mount option 'tmpcopyup' is for tmpfs only, not %s",
                         bind ? "a bind mount" : m->type);
    else if (check_destination(rootfd, m, err) < 0)
        r = -1;
    else
        r = bind ? mount_bind(rootfd, spec, m, &o, err) : mount_fs(rootfd, m, &o, err);
    if (r == 0 && (o.rec_attr_set || o.rec_attr_clr || o.propagation)) {
        rl_autoclose int mfd = rl_open_in_root(rootfd, m->destination, O_PATH, err);
        char p[RL_FD_PATH_MAX];
        if (mfd < 0)
            r = -1;
        else if ((o.rec_attr_set || o.rec_attr_clr) &&
                 setattr(mfd, o.rec_attr_set, o.rec_attr_clr, true) < 0)
            r = rl_error_set(err, errno, "set recursive mount flags on '%s'", m->destination);
        else if (o.propagation && mount(NULL, rl_fd_path(mfd, p), NULL, o.propagation, NULL) < 0)
            r = rl_error_set(err, errno, "set propagation of '%s'", m->destination);
    }
    rl_mount_opts_clear(&o);
    return r;
}

static unsigned long propagation_flags(const char *p)
{
    if (!strcmp(p, "private")) return MS_PRIVATE;
    if (!strcmp(p, "rprivate")) return MS_PRIVATE | MS_REC;
    if (!strcmp(p, "slave")) return MS_SLAVE;
    if (!strcmp(p, "shared")) return MS_SHARED;
    if (!strcmp(p, "rshared")) return MS_SHARED | MS_REC;
    if (!strcmp(p, "unbindable")) return MS_UNBINDABLE;
    if (!strcmp(p, "runbindable")) return MS_UNBINDABLE | MS_REC;
    return MS_SLAVE | MS_REC;
}

static int enter_root(const char *root, bool no_pivot, bool own_ns, rl_error_t *err)
{
    if (chdir(root) < 0) return rl_error_set(err, errno, "chdir to rootfs '%s'", root);
    if (!own_ns) {
        /* a namespace shared with others: its root stays, we only chroot */
        if (chroot(".") < 0) return rl_error_set(err, errno, "chroot");
    } else if (no_pivot) {
        if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
            return rl_error_set(err, errno, "move rootfs");
        if (chroot(".") < 0) return rl_error_set(err, errno, "chroot");
    } else {
        /* pivot_root(".", "."): the old root ends up stacked on the new one,
         * and a lazy unmount of "." removes it. */
        if (syscall(SYS_pivot_root, ".", ".") < 0) return rl_error_set(err, errno, "pivot_root");
        if (umount2(".", MNT_DETACH) < 0) return rl_error_set(err, errno, "unmount old root");
    }
    if (chdir("/") < 0) return rl_error_set(err, errno, "chdir /");
    return 0;
}

/* A mount namespace of our own: nothing we mount may propagate back to the
 * host, and the rootfs becomes a mount of its own to pivot to. */
static int own_root(const rl_spec_t *spec, const rl_rootfs_t *rootfs, unsigned long prop,
                    int sync_fd, rl_error_t *err)
{
    unsigned long first = (prop & MS_SHARED) ? (MS_SLAVE | MS_REC) : (prop | MS_REC);
    if (mount(NULL, "/", NULL, first, NULL) < 0)
        return rl_error_set(err, errno, "make / %s", spec->rootfs_propagation);
    if (rootfs && rl_rootfs_mount(rootfs, spec->root_path, sync_fd, err) < 0) return -1;
    if (mount(spec->root_path, spec->root_path, NULL, MS_BIND | MS_REC, NULL) < 0)
        return rl_error_set(err, errno, "bind rootfs '%s'", spec->root_path);
    return 0;
}

int rl_mount_rootfs(const rl_spec_t *spec, const rl_rootfs_t *rootfs, bool no_pivot, int sync_fd,
                    rl_error_t *err)
{
    unsigned long prop = propagation_flags(spec->rootfs_propagation);
    /* Without a mount namespace of its own (the runtime spec allows it, as
     * runc does) the spec's mounts go under the rootfs in the shared one,
     * whose root and propagation are not ours to change: the caller undoes
     * them at delete (rl_mount_undo_shared). */
    bool own_ns = spec->ns[RL_NS_MOUNT].wanted;
    if (own_ns && own_root(spec, rootfs, prop, sync_fd, err) < 0) return -1;
    rl_autoclose int rootfd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return rl_error_set(err, errno, "open rootfs '%s'", spec->root_path);
    for (size_t i = 0; i < spec->n_mounts; i++) {
        if (mount_one(rootfd, spec, &spec->mounts[i], err) < 0)
            return rl_error_wrap(err, "mounts[%zu] ('%s')", i, spec->mounts[i].destination);
    }
    if (rl_devices_setup(rootfd, spec, err) < 0) return -1;
    if (enter_root(spec->root_path, no_pivot, own_ns, err) < 0) return -1;
    if (own_ns && (prop & MS_SHARED) && mount(NULL, "/", NULL, prop, NULL) < 0)
        return rl_error_set(err, errno, "make / %s", spec->rootfs_propagation);
    return 0;
}

unsigned long long rl_mount_ns_id(void)
{
    struct stat st;
    return stat("/proc/self/ns/mnt", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* mountinfo writes space, tab, newline and backslash as \ooo */
static void unescape_octal(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

void rl_mount_undo_shared(const char *rootfs, unsigned long long mntns)
{
    if (!mntns || rl_mount_ns_id() != mntns) return; /* not where they were made */
    rl_autofree char *root = realpath(rootfs, NULL);
    FILE *f = root ? fopen("/proc/self/mountinfo", "re") : NULL;
    if (!f) return;
    size_t len = strlen(root), n = 0;
    char **below = NULL, *line = NULL, point[4096];
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1) continue;
        unescape_octal(point);
        if (strncmp(point, root, len) != 0 || point[len] != '/') continue;
        below = xrealloc(below, (n + 1) * sizeof *below);
        below[n++] = xstrdup(point);
    }
    free(line);
    fclose(f);
    /* mountinfo lists a mount after the one it sits on: undo from the end */
    while (n > 0) {
        if (umount2(below[--n], MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
            errno != ENOENT)
            rl_debug("unmount '%s': %s", below[n], strerror(errno));
        free(below[n]);
    }
    free(below);
}
