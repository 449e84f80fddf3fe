/* SPDX-License-Identifier: Apache-2.0 */
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"

int rl_sock_send_fd(int sock, int fd, const void *data, size_t len, rl_error_t *err)
{
    char ctrl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    memset(ctrl, 0, sizeof ctrl);
    if (fd >= 0) {
        msg.msg_control = ctrl;
        msg.msg_controllen = sizeof ctrl;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0) return rl_error_set(err, errno, "send on socket");
    return 0;
}

ssize_t rl_sock_recv_fd(int sock, int *fd, void *buf, size_t size, rl_error_t *err)
{
    char ctrl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = buf, .iov_len = size};
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl};
    *fd = -1;
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0) return rl_error_set(err, errno, "receive on socket");
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(fd, CMSG_DATA(c), sizeof(int));
    }
    return n;
}

int rl_sock_connect_path(const char *path, int type, rl_error_t *err)
{
    /* sun_path holds 108 bytes; long paths go through an O_PATH fd. */
    rl_autoclose int pfd = -1;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) < sizeof sa.sun_path) {
        strcpy(sa.sun_path, path);
    } else {
        pfd = open(path, O_PATH | O_CLOEXEC);
        if (pfd < 0) return rl_error_set(err, errno, "open socket '%s'", path);
        snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pfd);
    }
    rl_autoclose int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (s < 0) return rl_error_set(err, errno, "socket");
    if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
        return rl_error_set(err, errno, "connect to '%s'", path);
    return rl_steal_fd(&s);
}
