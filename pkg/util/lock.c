/* SPDX-License-Identifier: Apache-2.0 */
/* flock helpers (see lock.h). */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int rl_lock_fd(int fd, int how, const char *what, rl_error_t *err)
{
    while (flock(fd, how) < 0)
        if (errno != EINTR) return rl_error_set(err, errno, "lock '%s'", what);
    return 0;
}

int rl_lock_path(const char *path, rl_lock_kind_t kind, int how, rl_error_t *err)
{
    int fd = kind == RL_LOCK_DIR ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                 : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return rl_error_set(err, errno, "open lock '%s'", path);
    if (rl_lock_fd(fd, how, path, err) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}
