/* SPDX-License-Identifier: Apache-2.0 */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "xalloc.h"

int rl_fs_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                         bool durable, rl_error_t *err)
{
    rl_autofree char *tmp = xasprintf("%s.tmp-%d", name, (int)getpid());
    rl_autoclose int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return rl_error_set(err, errno, "create '%s'", tmp);
    if (rl_fs_write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
        rl_error_set(err, errno, "write '%s'", tmp);
        unlinkat(dirfd, tmp, 0);
        return -1;
    }
    if (renameat(dirfd, tmp, dirfd, name) < 0) {
        rl_error_set(err, errno, "rename '%s' to '%s'", tmp, name);
        unlinkat(dirfd, tmp, 0);
        return -1;
    }
    /* The rename itself must reach the disk before we call the write done. */
    if (durable && dirfd != AT_FDCWD) fsync(dirfd);
    return 0;
}

int rl_fs_write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                          rl_error_t *err)
{
    return write_replace(dirfd, name, data, len, mode, true, err);
}

static int write_path(const char *path, const void *data, size_t len, mode_t mode, bool durable,
                      rl_error_t *err)
{
    rl_autofree char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    const char *name = path;
    rl_autoclose int dfd = -1;
    if (slash) {
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        name = path + (slash - dir) + 1;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return rl_error_set(err, errno, "open '%s'", dir);
    }
    return write_replace(slash ? dfd : AT_FDCWD, name, data, len, mode, durable, err);
}

int rl_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, rl_error_t *err)
{
    return write_path(path, data, len, mode, true, err);
}

int rl_fs_write_volatile(const char *path, const void *data, size_t len, mode_t mode,
                         rl_error_t *err)
{
    return write_path(path, data, len, mode, false, err);
}

int rl_fs_write_replace(const char *path, const void *data, size_t len, mode_t mode, bool durable,
                        rl_error_t *err)
{
    return write_path(path, data, len, mode, durable, err);
}

int rl_fs_mkdir_p(const char *path, mode_t mode, rl_error_t *err)
{
    rl_autofree char *p = xstrdup(path);
    /* Usually the parents exist: one mkdir, not one per component. */
    if (mkdir(p, mode) < 0 && errno != EEXIST) {
        if (errno != ENOENT) return rl_error_set(err, errno, "mkdir '%s'", p);
        for (char *s = p + 1; *s; s++) {
            if (*s != '/') continue;
            *s = '\0';
            if (mkdir(p, mode) < 0 && errno != EEXIST)
                return rl_error_set(err, errno, "mkdir '%s'", p);
            *s = '/';
        }
        if (mkdir(p, mode) < 0 && errno != EEXIST) return rl_error_set(err, errno, "mkdir '%s'", p);
    }
    struct stat st;
    if (stat(p, &st) < 0) return rl_error_set(err, errno, "stat '%s'", p);
    if (!S_ISDIR(st.st_mode)) return rl_error_set(err, ENOTDIR, "mkdir '%s'", p);
    return 0;
}

static int rm_dir_contents(int dfd, const char *name, rl_error_t *err)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return rl_error_set(err, errno, "open '%s'", name);
    }
    int ret = 0;
    struct dirent *de;
    while (ret == 0 && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        ret = rl_fs_rm_rf_at(dirfd(d), de->d_name, err);
    }
    closedir(d);
    return ret;
}

int rl_fs_rm_rf_at(int dirfd, const char *name, rl_error_t *err)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return 0;
    if (errno != EISDIR && errno != EPERM) return rl_error_set(err, errno, "remove '%s'", name);
    int dfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    /* A directory of ours without read permission (overlay's work/work is
     * 0000): make it ours to list again. */
    if (dfd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0)
        dfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0 && errno == ENOENT) return 0; /* another remover was first */
    if (dfd < 0) return rl_error_set(err, errno, "open '%s'", name);
    if (rm_dir_contents(dfd, name, err) < 0) return -1;
    if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        return rl_error_set(err, errno, "remove '%s'", name);
    return 0;
}

int rl_fs_rm_rf(const char *path, rl_error_t *err)
{
    return rl_fs_rm_rf_at(AT_FDCWD, path, err);
}

int rl_fs_read_fd(int fd, const char *name, size_t max, char **out, size_t *len, rl_error_t *err)
{
    size_t cap = max < 4096 ? max : 4096, n = 0;
    rl_autofree char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap && cap < max) {
            cap = cap * 2 > max ? max : cap * 2;
            buf = xrealloc(buf, cap + 1);
        }
        /* at the limit, one more byte tells a full file from a too large one */
        char probe;
        char *dst = n < cap ? buf + n : &probe;
        ssize_t r = read(fd, dst, n < cap ? cap - n : 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return rl_error_set(err, errno, "read '%s'", name);
        if (r == 0) break;
        if (n == cap)
            return rl_error_set(err, 0, "read '%s': file too large (over %zu bytes)", name, max);
        n += (size_t)r;
    }
    buf[n] = '\0';
    *out = rl_steal_ptr(&buf);
    if (len) *len = n;
    return 0;
}

int rl_fs_read_lines(const char *path, char ***lines, rl_error_t *err)
{
    rl_autofree char *text = NULL;
    size_t len;
    if (rl_fs_read_file(path, 1 << 20, &text, &len, err) < 0) return -1;
    if (memchr(text, 0, len)) /* the lines after it would be lost unseen */
        return rl_error_setk(err, RL_ERR_INVALID, 0, "'%s': not a text file (a NUL byte)", path);
    *lines = xcalloc(1, sizeof(char *));
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        line += strspn(line, " \t\r\v\f");
        size_t n = strlen(line);
        while (n && strchr(" \t\r\v\f", line[n - 1]))
            line[--n] = 0;
        if (*line && *line != '#') rl_strv_push(lines, xstrdup(line));
    }
    return 0;
}

int rl_fs_read_file(const char *path, size_t max, char **out, size_t *len, rl_error_t *err)
{
    rl_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "open '%s'", path);
    return rl_fs_read_fd(fd, path, max, out, len, err);
}

int rl_fs_write_string(const char *path, const char *s, rl_error_t *err)
{
    rl_autoclose int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "open '%s'", path);
    if (rl_fs_write_all(fd, s, strlen(s)) < 0) return rl_error_set(err, errno, "write '%s'", path);
    return 0;
}

bool rl_fs_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

char *rl_user_config_path(const char *rel)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/') return xasprintf("%s/%s", xdg, rel);
    return xasprintf("%s/.config/%s", home ? home : "/", rel);
}

static unsigned long long du_total;

static int du_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)p, (void)f;
    if (flag == FTW_F && S_ISREG(st->st_mode)) du_total += (unsigned long long)st->st_size;
    return 0;
}

unsigned long long rl_fs_du(const char *path)
{
    du_total = 0;
    nftw(path, du_one, 32, FTW_PHYS | FTW_MOUNT);
    return du_total;
}

int rl_fs_each_dropin(const char *dir, const char *suffix, rl_fs_dropin_fn fn, void *ctx,
                      rl_error_t *err)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    size_t sl = strlen(suffix);
    int ret = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(list[i]->d_name);
        if (ret == 0 && l > sl && !strcmp(list[i]->d_name + l - sl, suffix)) {
            char *p = xasprintf("%s/%s", dir, list[i]->d_name);
            ret = fn(p, ctx, err);
            free(p);
        }
        free(list[i]);
    }
    free(list);
    return ret;
}

int rl_fs_write_pid_file(const char *path, pid_t pid, rl_error_t *err)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%d", (int)pid);
    return rl_fs_write_volatile(path, buf, (size_t)n, 0644, err);
}
