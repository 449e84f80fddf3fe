/* SPDX-License-Identifier: Apache-2.0 */
/* After pivot_root: sysctls, masked paths, read-only paths, read-only root. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"
#include "resolve.h"

static int mask_path(int rootfd, const char *path, rl_error_t *err)
{
    rl_error_t ignored = RL_ERROR_INIT;
    rl_autoclose int fd = rl_open_in_root(rootfd, path, O_PATH | O_NOFOLLOW, &ignored);
    rl_error_clear(&ignored);
    if (fd < 0) return errno == ENOENT ? 0 : rl_error_set(err, errno, "masked path '%s'", path);
    struct stat st;
    if (fstat(fd, &st) < 0) return rl_error_set(err, errno, "stat '%s'", path);
    if (S_ISLNK(st.st_mode)) return 0;
    char p[RL_FD_PATH_MAX];
    if (S_ISDIR(st.st_mode)) {
        /* An empty read-only tmpfs hides the directory's contents. */
        if (mount("tmpfs", rl_fd_path(fd, p), "tmpfs", MS_RDONLY, "size=0k") < 0)
            return rl_error_set(err, errno, "mask '%s'", path);
        return 0;
    }
    rl_autoclose int null = open("/dev/null", O_PATH | O_CLOEXEC);
    char np[RL_FD_PATH_MAX];
    if (null < 0) return rl_error_set(err, errno, "open /dev/null");
    if (mount(rl_fd_path(null, np), rl_fd_path(fd, p), NULL, MS_BIND, NULL) < 0)
        return rl_error_set(err, errno, "mask '%s'", path);
    return 0;
}

static int readonly_path(int rootfd, const char *path, rl_error_t *err)
{
    rl_error_t ignored = RL_ERROR_INIT;
    rl_autoclose int fd = rl_open_in_root(rootfd, path, O_PATH | O_NOFOLLOW, &ignored);
    rl_error_clear(&ignored);
    if (fd < 0) return errno == ENOENT ? 0 : rl_error_set(err, errno, "read-only path '%s'", path);
    char p[RL_FD_PATH_MAX];
    if (mount(rl_fd_path(fd, p), p, NULL, MS_BIND | MS_REC, NULL) < 0)
        return rl_error_set(err, errno, "bind '%s'", path);
    rl_autoclose int mfd = rl_open_in_root(rootfd, path, O_PATH | O_NOFOLLOW, err);
    if (mfd < 0) return -1;
    if (rl_mount_set_flags(mfd, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, true, err) < 0)
        return rl_error_wrap(err, "make '%s' read-only", path);
    return 0;
}

int rl_mount_finish(const rl_spec_t *spec, rl_error_t *err)
{
    rl_autoclose int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return rl_error_set(err, errno, "open /");
    for (size_t i = 0; spec->masked_paths[i]; i++)
        if (mask_path(rootfd, spec->masked_paths[i], err) < 0) return -1;
    for (size_t i = 0; spec->readonly_paths[i]; i++)
        if (readonly_path(rootfd, spec->readonly_paths[i], err) < 0) return -1;
    if (spec->root_readonly) {
        rl_autoclose int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rl_mount_set_flags(fd, MS_RDONLY, 0, false, err) < 0)
            return rl_error_wrap(err, "make the root read-only");
    }
    return 0;
}
