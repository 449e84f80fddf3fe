/* SPDX-License-Identifier: Apache-2.0 */
#include "copytree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"

static void copy_xattrs(int src, int dst)
{
    char names[4096], val[4096];
    ssize_t n = flistxattr(src, names, sizeof names);
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(names + i) + 1) {
        if (strstr(names + i, "overlay.")) continue;
        ssize_t v = fgetxattr(src, names + i, val, sizeof val);
        if (v >= 0) fsetxattr(dst, names + i, val, (size_t)v, 0);
    }
}

static void owner_of(const rl_copytree_t *how, const struct stat *st, uid_t *u, gid_t *g)
{
    *u = st->st_uid, *g = st->st_gid;
    if (how->owner) how->owner(how->arg, st, u, g);
}

int rl_copytree_set_owner(const rl_copytree_t *how, int fd, const struct stat *st, const char *name,
                          rl_error_t *err)
{
    uid_t u;
    gid_t g;
    owner_of(how, st, &u, &g);
    if (fchown(fd, u, g) < 0 || fchmod(fd, st->st_mode & 07777) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    return 0;
}

/* The copy of an opened file or directory: owner, mode, xattrs and times
 * as the source has them (a directory's after its entries, which touch its mtime). */
static int finish(const rl_copytree_t *how, int src, int dst, const struct stat *st,
                  const char *name, rl_error_t *err)
{
    if (rl_copytree_set_owner(how, dst, st, name, err) < 0) return -1;
    copy_xattrs(src, dst);
    struct timespec t[2] = {st->st_atim, st->st_mtim};
    futimens(dst, t);
    return 0;
}

/* copy_file_range within a file system (reflinks where it can); across
 * file systems (a layer into tmpfs) the kernel says EXDEV: read and write. */
static int copy_data(int in, int out)
{
    ssize_t n;
    while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) > 0)
        ;
    if (n == 0) return 0;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) return -1;
    char buf[65536];
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (rl_fs_write_all(out, buf, (size_t)n) < 0) return -1;
    return n < 0 ? -1 : 0;
}

static int copy_file(const rl_copytree_t *how, int sdir, int ddir, const char *name,
                     const struct stat *st, rl_error_t *err)
{
    rl_autoclose int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    rl_autoclose int out =
        openat(ddir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (in < 0 || out < 0) return rl_error_set(err, errno, "copy '%s'", name);
    if (copy_data(in, out) < 0) return rl_error_set(err, errno, "copy '%s'", name);
    return finish(how, in, out, st, name, err);
}

static int copy_dir(const rl_copytree_t *how, int sdir, int ddir, const char *name,
                    const struct stat *st, rl_error_t *err)
{
    rl_autoclose int s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s < 0) return rl_error_set(err, errno, "open '%s'", name);
    if (mkdirat(ddir, name, 0700) < 0 && errno != EEXIST)
        return rl_error_set(err, errno, "mkdir '%s'", name);
    rl_autoclose int d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d < 0) return rl_error_set(err, errno, "open '%s'", name);
    if (rl_copytree(how, s, d, err) < 0) return -1;
    return finish(how, s, d, st, name, err);
}

static int copy_other(const rl_copytree_t *how, int sdir, int ddir, const char *name,
                      const struct stat *st, rl_error_t *err)
{
    if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(sdir, name, target, sizeof target - 1);
        if (n < 0) return rl_error_set(err, errno, "readlink '%s'", name);
        target[n] = 0;
        if (symlinkat(target, ddir, name) < 0)
            return rl_error_set(err, errno, "symlink '%s'", name);
    } else if (mknodat(ddir, name, st->st_mode, st->st_rdev) < 0) {
        return rl_error_set(err, errno, "mknod '%s'", name);
    }
    uid_t u;
    gid_t g;
    owner_of(how, st, &u, &g);
    if (fchownat(ddir, name, u, g, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    return 0;
}

static int copy_entry(const rl_copytree_t *how, int sdir, int ddir, const char *name,
                      rl_error_t *err)
{
    struct stat st, dst;
    if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "stat '%s'", name);
    if (how->entry) {
        int r = how->entry(how->arg, sdir, ddir, name, &st, err);
        if (r != 0) return r < 0 ? -1 : 0;
    }
    bool exists = fstatat(ddir, name, &dst, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !(S_ISDIR(st.st_mode) && S_ISDIR(dst.st_mode)) &&
        rl_fs_rm_rf_at(ddir, name, err) < 0)
        return -1;
    if (S_ISDIR(st.st_mode)) return copy_dir(how, sdir, ddir, name, &st, err);
    if (S_ISREG(st.st_mode)) return copy_file(how, sdir, ddir, name, &st, err);
    return copy_other(how, sdir, ddir, name, &st, err);
}

int rl_copytree(const rl_copytree_t *how, int sdir, int ddir, rl_error_t *err)
{
    int fd = dup(sdir);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return rl_error_set(err, errno, "read directory");
    }
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        r = copy_entry(how, sdir, ddir, e->d_name, err);
    }
    closedir(d);
    return r;
}
