/* SPDX-License-Identifier: Apache-2.0 */
/* A layer's entries on disk (see diskwrite.h). */
#include "diskwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"
#include "storage/libarchive.h"

#define MAX_DEPTH 512

typedef struct dir_time {
    char *path;
    struct timespec ts[2];
} dir_time_t;

struct rl_diskw {
    int destfd;
    mode_t old_umask;
    /* the directory of the last entry: names[i] opened as fds[i] beneath fds[i-1] */
    size_t depth;
    char *names[MAX_DEPTH];
    int fds[MAX_DEPTH];
    dir_time_t *dirs; /* directories whose times are set at the end */
    size_t n_dirs, cap_dirs;
};

rl_diskw_t *rl_diskw_new(int destfd)
{
    rl_diskw_t *w = xcalloc(1, sizeof *w);
    w->destfd = destfd;
    w->old_umask = umask(0);
    return w;
}

static void pop_to(rl_diskw_t *w, size_t depth)
{
    while (w->depth > depth) {
        w->depth--;
        close(w->fds[w->depth]);
        free(w->names[w->depth]);
    }
}

void rl_diskw_free(rl_diskw_t *w)
{
    if (!w) return;
    pop_to(w, 0);
    for (size_t i = 0; i < w->n_dirs; i++)
        free(w->dirs[i].path);
    free(w->dirs);
    umask(w->old_umask);
    free(w);
}

/* One component beneath parent, never through a symlink. */
static int open_component(int parent, const char *name)
{
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve =
                               RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
    return (int)syscall(SYS_openat2, parent, name, &how, sizeof how);
}

static int component_error(const char *path, const char *comp, int e, rl_error_t *err)
{
    if (e == ELOOP)
        return rl_error_set(err, 0, "layer entry '%s': cannot extract through symlink '%s'", path,
                            comp);
    return rl_error_set(err, e, "layer entry '%s': directory '%s'", path, comp);
}

/* Push comp (of entry path) on the stack: opened, or made (0755, as tar
 * does for a directory it has no entry for) and opened. */
static int push(rl_diskw_t *w, const char *comp, size_t len, const char *path, rl_error_t *err)
{
    if (w->depth == MAX_DEPTH)
        return rl_error_set(err, 0, "layer entry '%s': nested too deep", path);
    char name[NAME_MAX + 1];
    if (len > NAME_MAX) return rl_error_set(err, 0, "layer entry '%s': name too long", path);
    memcpy(name, comp, len);
    name[len] = '\0';
    int parent = w->depth ? w->fds[w->depth - 1] : w->destfd;
    int fd = open_component(parent, name);
    if (fd < 0 && errno == ENOENT) {
        if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
            return component_error(path, name, errno, err);
        fd = open_component(parent, name);
    }
    if (fd < 0) return component_error(path, name, errno, err);
    w->names[w->depth] = xstrdup(name);
    w->fds[w->depth++] = fd;
    return 0;
}

/* The directory dir ("" for the layer root) as an fd the stack owns. */
static int dir_fd(rl_diskw_t *w, const char *dir, const char *path, rl_error_t *err)
{
    size_t level = 0;
    const char *c = dir;
    for (;;) {
        while (*c == '/')
            c++;
        if (!*c) break;
        size_t len = strcspn(c, "/");
        if (!(len == 1 && c[0] == '.')) {
            bool same = level < w->depth && strlen(w->names[level]) == len &&
                        !memcmp(w->names[level], c, len);
            if (!same) {
                pop_to(w, level);
                if (push(w, c, len, path, err) < 0) return -1;
            }
            level++;
        }
        c += len;
    }
    pop_to(w, level);
    return level ? w->fds[level - 1] : w->destfd;
}

void rl_diskw_forget(rl_diskw_t *w, const char *path)
{
    /* rare (a replaced entry, a whiteout): the whole stack goes, to be
     * opened again from the layer root by the next entry */
    (void)path;
    pop_to(w, 0);
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
    ts[1].tv_sec = archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : 0;
    ts[1].tv_nsec = archive_entry_mtime_is_set(e) ? archive_entry_mtime_nsec(e) : UTIME_OMIT;
    if (archive_entry_atime_is_set(e)) {
        ts[0].tv_sec = archive_entry_atime(e);
        ts[0].tv_nsec = archive_entry_atime_nsec(e);
    } else {
        ts[0] = ts[1];
    }
}

/* Make room for name: what is there goes (as tar replaces it). */
static int clear_name(rl_diskw_t *w, int pfd, const char *name, const char *path, rl_error_t *err)
{
    rl_diskw_forget(w, path);
    if (unlinkat(pfd, name, 0) == 0 || errno == ENOENT) return 0;
    if ((errno == EISDIR || errno == EPERM) && unlinkat(pfd, name, AT_REMOVEDIR) == 0) return 0;
    return rl_error_set(err, errno, "layer entry '%s': replace what is there", path);
}

static int set_xattrs(int fd, struct archive_entry *e, const char *path, rl_error_t *err)
{
    if (archive_entry_xattr_reset(e) == 0) return 0;
    const char *name;
    const void *value;
    size_t size;
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
        if (name && fsetxattr(fd, name, value, size, 0) < 0)
            return rl_error_set(err, errno, "layer entry '%s': extended attribute '%s'", path,
                                name);
    return 0;
}

/* Owner, then mode (a chown clears setuid and setgid), by fd. */
static int owner_mode_fd(int fd, struct archive_entry *e, const char *path, bool mode,
                         rl_error_t *err)
{
    uid_t uid = (uid_t)archive_entry_uid(e);
    gid_t gid = (gid_t)archive_entry_gid(e);
    if ((uid || gid) && fchown(fd, uid, gid) < 0)
        return rl_error_set(err, errno, "layer entry '%s': owner", path);
    mode_t perm = archive_entry_perm(e) & 07777;
    if ((mode || (perm & 07000)) && fchmod(fd, perm) < 0)
        return rl_error_set(err, errno, "layer entry '%s': mode", path);
    return 0;
}

static int write_data(int fd, struct archive *in, struct archive_entry *e, const char *path,
                      rl_error_t *err)
{
    const void *buf;
    size_t size;
    la_int64_t off, end = 0;
    int r;
    while ((r = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK) {
        /* at their offsets: what a sparse file skips stays a hole */
        for (size_t done = 0; done < size;) {
            ssize_t n = pwrite(fd, (const char *)buf + done, size - done, off + (off_t)done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return rl_error_set(err, errno, "write '%s'", path);
            done += (size_t)n;
        }
        if (off + (la_int64_t)size > end) end = off + (la_int64_t)size;
    }
    if (r != ARCHIVE_EOF)
        return rl_error_set(err, 0, "read '%s': %s", path, archive_error_string(in));
    la_int64_t want = archive_entry_size(e);
    if (want > end && ftruncate(fd, (off_t)want) < 0)
        return rl_error_set(err, errno, "write '%s'", path);
    return 0;
}

static int regular(rl_diskw_t *w, int pfd, const char *name, struct archive *in,
                   struct archive_entry *e, const char *path, rl_error_t *err)
{
    mode_t perm = archive_entry_perm(e) & 0777;
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = openat(pfd, name, flags, perm);
    if (fd < 0 && errno == EEXIST) {
        if (clear_name(w, pfd, name, path, err) < 0) return -1;
        fd = openat(pfd, name, flags, perm);
    }
    if (fd < 0) return rl_error_set(err, errno, "layer entry '%s': create", path);
    struct timespec ts[2];
    entry_times(e, ts);
    int r = write_data(fd, in, e, path, err);
    if (r == 0) r = owner_mode_fd(fd, e, path, false, err);
    if (r == 0) r = set_xattrs(fd, e, path, err);
    if (r == 0 && futimens(fd, ts) < 0)
        r = rl_error_set(err, errno, "layer entry '%s': times", path);
    close(fd);
    return r;
}

static int directory(rl_diskw_t *w, int pfd, const char *name, struct archive_entry *e,
                     const char *path, rl_error_t *err)
{
    mode_t perm = archive_entry_perm(e) & 07777;
    bool existed = false;
    if (mkdirat(pfd, name, perm & 0777) < 0) {
        struct stat st;
        if (errno != EEXIST) return rl_error_set(err, errno, "layer entry '%s': create", path);
        if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
            existed = true;
        } else if (clear_name(w, pfd, name, path, err) < 0 || mkdirat(pfd, name, perm & 0777) < 0) {
            return rl_error_is_set(err) ? -1 : rl_error_set(err, errno, "layer entry '%s'", path);
        }
    }
    struct open_how how = {.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
    rl_autoclose int fd = (int)syscall(SYS_openat2, pfd, name, &how, sizeof how);
    if (fd < 0) return rl_error_set(err, errno, "layer entry '%s': open", path);
    if (owner_mode_fd(fd, e, path, existed, err) < 0 || set_xattrs(fd, e, path, err) < 0) return -1;
    if (w->n_dirs == w->cap_dirs) {
        w->cap_dirs = w->cap_dirs ? 2 * w->cap_dirs : 64;
        w->dirs = xrealloc(w->dirs, w->cap_dirs * sizeof *w->dirs);
    }
    dir_time_t *d = &w->dirs[w->n_dirs++];
    d->path = xstrdup(path);
    entry_times(e, d->ts);
    return 0;
}

/* Owner, mode and times of what cannot be opened (symlink, fifo). */
static int finish_at(int pfd, const char *name, struct archive_entry *e, const char *path,
                     bool mode, rl_error_t *err)
{
    uid_t uid = (uid_t)archive_entry_uid(e);
    gid_t gid = (gid_t)archive_entry_gid(e);
    if ((uid || gid) && fchownat(pfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "layer entry '%s': owner", path);
    /* a fifo is no symlink: fchmodat cannot be led elsewhere by it */
    if (mode && fchmodat(pfd, name, archive_entry_perm(e) & 07777, 0) < 0)
        return rl_error_set(err, errno, "layer entry '%s': mode", path);
    struct timespec ts[2];
    entry_times(e, ts);
    if (utimensat(pfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "layer entry '%s': times", path);
    return 0;
}

static int symlink_entry(rl_diskw_t *w, int pfd, const char *name, struct archive_entry *e,
                         const char *path, rl_error_t *err)
{
    const char *target = archive_entry_symlink(e);
    if (!target) return rl_error_set(err, 0, "layer entry '%s': symlink without target", path);
    int r = symlinkat(target, pfd, name);
    if (r < 0 && errno == EEXIST) {
        if (clear_name(w, pfd, name, path, err) < 0) return -1;
        r = symlinkat(target, pfd, name);
    }
    if (r < 0) return rl_error_set(err, errno, "layer entry '%s': create", path);
    return finish_at(pfd, name, e, path, false, err);
}

static int fifo(rl_diskw_t *w, int pfd, const char *name, struct archive_entry *e, const char *path,
                rl_error_t *err)
{
    mode_t perm = archive_entry_perm(e) & 0777;
    if (mknodat(pfd, name, S_IFIFO | perm, 0) < 0) {
        if (errno != EEXIST || clear_name(w, pfd, name, path, err) < 0 ||
            mknodat(pfd, name, S_IFIFO | perm, 0) < 0)
            return rl_error_is_set(err)
                       ? -1
                       : rl_error_set(err, errno, "layer entry '%s': create", path);
    }
    return finish_at(pfd, name, e, path, (archive_entry_perm(e) & 07000) != 0, err);
}

/* A hardlink to link, an entry before it in this layer. */
static int hardlink(rl_diskw_t *w, int pfd, const char *name, const char *link, const char *path,
                    rl_error_t *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", link);
    char *slash = strrchr(dir, '/');
    const char *tname = slash ? slash + 1 : dir;
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve =
                               RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
    if (slash) *slash = '\0';
    rl_autoclose int tfd =
        (int)syscall(SYS_openat2, w->destfd, slash ? dir : ".", &how, sizeof how);
    if (tfd < 0) return component_error(path, slash ? dir : ".", errno, err);
    int r = linkat(tfd, tname, pfd, name, 0);
    if (r < 0 && errno == EEXIST) {
        if (clear_name(w, pfd, name, path, err) < 0) return -1;
        r = linkat(tfd, tname, pfd, name, 0);
    }
    if (r < 0) return rl_error_set(err, errno, "layer entry '%s': hardlink to '%s'", path, link);
    return 0;
}

int rl_diskw_entry(rl_diskw_t *w, struct archive *in, struct archive_entry *e, const char *path,
                   const char *link, rl_error_t *err)
{
    char dir[PATH_MAX], base[NAME_MAX + 1];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    if (strlen(name) > NAME_MAX)
        return rl_error_set(err, 0, "layer entry '%s': name too long", path);
    memcpy(base, name, strlen(name) + 1);
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    if (!*base || !strcmp(base, "."))
        return rl_error_set(err, 0, "layer entry '%s': no name", path);
    int pfd = dir_fd(w, dir, path, err);
    if (pfd < 0) return -1;
    if (link) return hardlink(w, pfd, base, link, path, err);
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        return regular(w, pfd, base, in, e, path, err);
    case AE_IFDIR:
        return directory(w, pfd, base, e, path, err);
    case AE_IFLNK:
        return symlink_entry(w, pfd, base, e, path, err);
    case AE_IFIFO:
        return fifo(w, pfd, base, e, path, err);
    case AE_IFSOCK:
        return 0; /* a socket is made by its server, not by tar */
    default:
        return rl_error_set(err, 0, "layer entry '%s': unknown file type", path);
    }
}

int rl_diskw_finish(rl_diskw_t *w, rl_error_t *err)
{
    pop_to(w, 0);
    struct open_how how = {.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
                           .resolve =
                               RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
    /* deepest first would not matter: a directory's times change with its
     * entries, not with those of its subdirectories' */
    for (size_t i = w->n_dirs; i-- > 0;) {
        int fd = (int)syscall(SYS_openat2, w->destfd, w->dirs[i].path, &how, sizeof how);
        /* gone or replaced later in the stream: nothing to set */
        if (fd < 0 && (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)) continue;
        if (fd < 0 || futimens(fd, w->dirs[i].ts) < 0) {
            int e = errno;
            if (fd >= 0) close(fd);
            return rl_error_set(err, e, "layer directory '%s': times", w->dirs[i].path);
        }
        close(fd);
    }
    return 0;
}
