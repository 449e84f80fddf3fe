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
#include "rootless/keepid.h"
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

/* The copy's owners: as stored, or shifted for a keep-id container. */
static void owner(const rl_idshift_t *ids, const struct stat *st, uid_t *u, gid_t *g)
{
    uint32_t x;
    *u = st->st_uid, *g = st->st_gid;
    if (ids->uids) *u = rl_idpair_shift(ids->uids, ids->n_uids, st->st_uid, &x) ? x : 65534;
    if (ids->gids) *g = rl_idpair_shift(ids->gids, ids->n_gids, st->st_gid, &x) ? x : 65534;
}

static int copy_file(const rl_idshift_t *ids, int sdir, int ddir, const char *name,
                     const struct stat *st, rl_error_t *err)
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
    uid_t u;
    gid_t g;
    owner(ids, st, &u, &g);
    if (fchown(out, u, g) < 0 || fchmod(out, st->st_mode & 07777) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    copy_xattrs(in, out);
    struct timespec t[2] = {st->st_atim, st->st_mtim};
    futimens(out, t);
    return 0;
}

static int apply_dir(const rl_idshift_t *ids, int sdir, int ddir, rl_error_t *err);

static int apply_entry(const rl_idshift_t *ids, int sdir, int ddir, const char *name,
                       rl_error_t *err)
{
    struct stat st, dst;
    uid_t u;
    gid_t g;
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
        if (d < 0 || apply_dir(ids, s, d, err) < 0)
            return d < 0 ? rl_error_set(err, errno, "open '%s'", name) : -1;
        owner(ids, &st, &u, &g);
        if (fchown(d, u, g) < 0 || fchmod(d, st.st_mode & 07777) < 0)
            return rl_error_set(err, errno, "set owner of '%s'", name);
        copy_xattrs(s, d);
        return 0;
    }
    if (S_ISREG(st.st_mode)) return copy_file(ids, sdir, ddir, name, &st, err);
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
    owner(ids, &st, &u, &g);
    if (fchownat(ddir, name, u, g, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "set owner of '%s'", name);
    return 0;
}

static int apply_dir(const rl_idshift_t *ids, int sdir, int ddir, rl_error_t *err)
{
    int fd = dup(sdir);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) return rl_error_set(err, errno, "read layer directory");
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        r = apply_entry(ids, sdir, ddir, e->d_name, err);
    }
    closedir(d);
    return r;
}

typedef struct vfs_arg {
    char *const *lower;
    const char *dest;
    rl_idshift_t ids;
} vfs_arg_t;

static int copy_child(void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    vfs_arg_t *a = arg;
    (void)out;
    rl_autoclose int d = open(a->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return rl_error_set(err, errno, "open '%s'", a->dest);
    /* The root itself is ours (storage root); shifted, root's as the container sees it. */
    struct stat root = {0};
    uid_t u;
    gid_t g;
    owner(&a->ids, &root, &u, &g);
    if (fchown(d, u, g) < 0) return rl_error_set(err, errno, "set owner of '%s'", a->dest);
    size_t n = 0;
    while (a->lower[n])
        n++;
    while (n-- > 0) {
        rl_autoclose int s = open(a->lower[n], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s < 0 || apply_dir(&a->ids, s, d, err) < 0)
            return s < 0 ? rl_error_set(err, errno, "open '%s'", a->lower[n]) : -1;
    }
    return 0;
}

int rl_vfs_copy_layers(char *const *lower, const char *dest, const rl_idshift_t *shift,
                       rl_error_t *err)
{
    vfs_arg_t a = {lower, dest, {0}};
    if (shift) a.ids = *shift;
    if (rl_userns_run(copy_child, &a, NULL, err) < 0) return rl_error_wrap(err, "vfs copy");
    return 0;
}
