/* Layer copies for the vfs driver (see vfs.h). Applies each layer in turn,
 * base first: a 0:0 character device deletes, an opaque directory hides what
 * lay below, everything else is copied with owner, mode, times and xattrs. */
#include "vfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "rootless/userns.h"

static bool is_whiteout(const struct stat *st)
{
    return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool is_opaque(int fd)
{
    char v[2];
    return fgetxattr(fd, "user.overlay.opaque", v, sizeof v) == 1 ||
           fgetxattr(fd, "trusted.overlay.opaque", v, sizeof v) == 1;
}

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

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st, rl_error_t *err)
{
    rl_autoclose int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    rl_autoclose int out =
        openat(ddir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (in < 0 || out < 0) return rl_error_set(err, errno, "copy '%s'", name);
    for (;;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
        if (n < 0) return rl_error_set(err, errno, "copy '%s'", name);
        if (n == 0) break;
    }
    if (fchown(out, st->st_uid, st->st_gid) < 0 || fchmod(out, st->st_mode & 07777) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    copy_xattrs(in, out);
    struct timespec t[2] = {st->st_atim, st->st_mtim};
    futimens(out, t);
    return 0;
}

static int apply_dir(int sdir, int ddir, rl_error_t *err);

static int apply_entry(int sdir, int ddir, const char *name, rl_error_t *err)
{
    struct stat st, dst;
    if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "stat '%s'", name);
    bool exists = fstatat(ddir, name, &dst, AT_SYMLINK_NOFOLLOW) == 0;
    if (is_whiteout(&st)) return exists ? rl_fs_rm_rf_at(ddir, name, err) : 0;
    if (exists && !(S_ISDIR(st.st_mode) && S_ISDIR(dst.st_mode)) &&
        rl_fs_rm_rf_at(ddir, name, err) < 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        rl_autoclose int s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s < 0) return rl_error_set(err, errno, "open '%s'", name);
        if (exists && S_ISDIR(dst.st_mode) && is_opaque(s) && rl_fs_rm_rf_at(ddir, name, err) < 0)
            return -1;
        if (mkdirat(ddir, name, 0700) < 0 && errno != EEXIST)
            return rl_error_set(err, errno, "mkdir '%s'", name);
        rl_autoclose int d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (d < 0 || apply_dir(s, d, err) < 0)
            return d < 0 ? rl_error_set(err, errno, "open '%s'", name) : -1;
        if (fchown(d, st.st_uid, st.st_gid) < 0 || fchmod(d, st.st_mode & 07777) < 0)
            return rl_error_set(err, errno, "set owner of '%s'", name);
        copy_xattrs(s, d);
        return 0;
    }
    if (S_ISREG(st.st_mode)) return copy_file(sdir, ddir, name, &st, err);
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(sdir, name, target, sizeof target - 1);
        if (n < 0) return rl_error_set(err, errno, "readlink '%s'", name);
        target[n] = 0;
        if (symlinkat(target, ddir, name) < 0)
            return rl_error_set(err, errno, "symlink '%s'", name);
    } else if (mknodat(ddir, name, st.st_mode, st.st_rdev) < 0) {
        return rl_error_set(err, errno, "mknod '%s'", name);
    }
    if (fchownat(ddir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    return 0;
}

static int apply_dir(int sdir, int ddir, rl_error_t *err)
{
    int fd = dup(sdir);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) return rl_error_set(err, errno, "read layer directory");
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        r = apply_entry(sdir, ddir, e->d_name, err);
    }
    closedir(d);
    return r;
}

typedef struct vfs_arg {
    char *const *lower;
    const char *dest;
} vfs_arg_t;

static int copy_child(void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    vfs_arg_t *a = arg;
    (void)out;
    rl_autoclose int d = open(a->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return rl_error_set(err, errno, "open '%s'", a->dest);
    size_t n = 0;
    while (a->lower[n])
        n++;
    while (n-- > 0) {
        rl_autoclose int s = open(a->lower[n], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s < 0 || apply_dir(s, d, err) < 0)
            return s < 0 ? rl_error_set(err, errno, "open '%s'", a->lower[n]) : -1;
    }
    return 0;
}

int rl_vfs_copy_layers(char *const *lower, const char *dest, rl_error_t *err)
{
    vfs_arg_t a = {lower, dest};
    if (rl_userns_run(copy_child, &a, NULL, err) < 0) return rl_error_wrap(err, "vfs copy");
    return 0;
}
