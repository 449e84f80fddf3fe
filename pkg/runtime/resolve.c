/* SPDX-License-Identifier: Apache-2.0 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"

const char *rl_fd_path(int fd, char buf[RL_FD_PATH_MAX])
{
    snprintf(buf, RL_FD_PATH_MAX, "/proc/self/fd/%d", fd);
    return buf;
}

static int openat2_in_root(int rootfd, const char *path, int flags)
{
    while (*path == '/')
        path++;
    if (!*path) path = ".";
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    long fd;
    do
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
    while (fd < 0 && errno == EAGAIN);
    return (int)fd;
}

int rl_open_in_root(int rootfd, const char *path, int flags, rl_error_t *err)
{
    int fd = openat2_in_root(rootfd, path, flags);
    if (fd < 0) rl_error_set(err, errno, "open '%s' in the container", path);
    return fd;
}

/* Create one missing component under its (already resolved) parent. */
static int create_component(int parent, const char *name, bool dir, const char *full,
                            rl_error_t *err)
{
    int r = dir ? mkdirat(parent, name, 0755)
                : openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (r < 0 && errno == EEXIST)
        return rl_error_set(err, 0, "'%s' in the container is a dangling symlink", full);
    if (r < 0) return rl_error_set(err, errno, "create '%s' in the container", full);
    if (!dir) close(r);
    return 0;
}

int rl_ensure_in_root(int rootfd, const char *path, bool dir, rl_error_t *err)
{
    if (path[0] != '/') return rl_error_set(err, 0, "'%s' is not an absolute path", path);
    rl_autofree char *p = xstrdup(path);
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    int fd = openat2_in_root(rootfd, p, O_PATH);
    if (fd >= 0) return close(fd), 0;
    if (errno != ENOENT) return rl_error_set(err, errno, "open '%s' in the container", path);
    /* Walk down: each prefix is resolved from the root again, so a symlink
     * met on the way stays inside the rootfs. */
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0') continue;
        bool last = *s == '\0';
        char saved = *s;
        *s = '\0';
        char *slash = strrchr(p, '/');
        int exists = openat2_in_root(rootfd, p, O_PATH);
        if (exists >= 0) {
            close(exists);
        } else if (errno == ENOENT) {
            *slash = '\0';
            rl_autoclose int parent = openat2_in_root(rootfd, *p ? p : "/", O_PATH | O_DIRECTORY);
            *slash = '/';
            if (parent < 0)
                return rl_error_set(err, errno, "open parent of '%s' in the container", p);
            if (create_component(parent, slash + 1, dir || !last, path, err) < 0) return -1;
        } else {
            return rl_error_set(err, errno, "open '%s' in the container", p);
        }
        *s = saved;
        if (last) return 0;
    }
}
