/* SPDX-License-Identifier: Apache-2.0 */
#include "nl.h"

#include <errno.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

int rl_nl_open(int protocol, rl_error_t *err)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        rl_error_set(err, errno, "open a %s netlink socket",
                     protocol == NETLINK_NETFILTER ? "netfilter" : "routing");
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

int rl_nl_talk(int fd, const void *req, size_t len, uint32_t last_seq, const char *what,
               rl_error_t *err)
{
    if (send(fd, req, len, 0) < 0) return rl_error_set(err, errno, "%s", what);
    for (;;) {
        char buf[8192];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) return rl_error_set(err, errno, "%s", what);
        size_t left = (size_t)n;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
             h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type != NLMSG_ERROR) continue;
            const struct nlmsgerr *e = NLMSG_DATA(h);
            if (e->error) return rl_error_set(err, -e->error, "%s", what);
            if (h->nlmsg_seq == last_seq) return 0;
        }
    }
}
