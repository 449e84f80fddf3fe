/* SPDX-License-Identifier: Apache-2.0 */
#include "sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"

int rl_mon_sd_notify(const char *path, const char *msg, rl_error_t *err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@'))
        return rl_error_set(err, 0, "NOTIFY_SOCKET '%s': not a socket path", path);
    memcpy(sa.sun_path, path, n);
    if (path[0] == '@') sa.sun_path[0] = '\0';
    rl_autoclose int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return rl_error_set(err, errno, "socket");
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
        return rl_error_set(err, errno, "notify '%s'", path);
    return 0;
}
