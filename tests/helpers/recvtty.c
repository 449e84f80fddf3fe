/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper: the receiving end of a --console-socket. Accepts one
 * connection, takes the pty master (SCM_RIGHTS), writes --input to it,
 * copies everything the container prints to stdout until the pty closes.
 * usage: recvtty SOCKET [INPUT] [--pidfile FILE]  (runs in the foreground) */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static int recv_fd(int s)
{
    char buf[256], ctrl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl};
    if (recvmsg(s, &m, 0) < 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: recvtty SOCKET [INPUT]\n");
        return 2;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[1]);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    unlink(argv[1]);
    if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(l, 1) < 0) {
        perror("recvtty: listen");
        return 1;
    }
    printf("%s", ""); /* nothing before the container's output */
    fflush(stdout);
    int c = accept(l, NULL, NULL);
    int master = c < 0 ? -1 : recv_fd(c);
    if (master < 0) {
        perror("recvtty: receive fd");
        return 1;
    }
    if (!isatty(master)) {
        fprintf(stderr, "recvtty: received fd is not a terminal\n");
        return 1;
    }
    if (argc > 2) {
        usleep(200000);
        if (write(master, argv[2], strlen(argv[2])) < 0) perror("recvtty: write");
    }
    char buf[4096];
    for (;;) {
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0) break;
        ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0) break; /* EIO: the last slave fd is gone */
        fwrite(buf, 1, (size_t)n, stdout);
        fflush(stdout);
    }
    return 0;
}
