/* SPDX-License-Identifier: Apache-2.0 */
/* A test server for published ports: `netecho tcp|udp PORT` answers each
 * connection (tcp) or datagram (udp) with "from ADDR:PORT got LINE", so a
 * test sees both the data and the source address the container saw. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void describe(const struct sockaddr_in6 *p, char *out, size_t n)
{
    char ip[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &p->sin6_addr, ip, sizeof ip);
    const char *v4 = strncmp(ip, "::ffff:", 7) == 0 ? ip + 7 : ip;
    snprintf(out, n, "%s:%u", v4, (unsigned)ntohs(p->sin6_port));
}

int main(int argc, char **argv)
{
    if (argc != 3) return fprintf(stderr, "usage: netecho tcp|udp PORT\n"), 2;
    int udp = !strcmp(argv[1], "udp"), zero = 0, one = 1;
    int s = socket(AF_INET6, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)atoi(argv[2]))};
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || (!udp && listen(s, 16) < 0))
        return perror("netecho: bind"), 1;
    for (;;) {
        char buf[4096], from[96], reply[4300];
        struct sockaddr_in6 p;
        socklen_t len = sizeof p;
        if (udp) {
            ssize_t n = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *)&p, &len);
            if (n < 0) continue;
            buf[n] = '\0', buf[strcspn(buf, "\n")] = '\0';
            describe(&p, from, sizeof from);
            int m = snprintf(reply, sizeof reply, "from %s got %s\n", from, buf);
            sendto(s, reply, (size_t)m, 0, (struct sockaddr *)&p, len);
            continue;
        }
        int c = accept(s, (struct sockaddr *)&p, &len);
        if (c < 0) continue;
        ssize_t n = read(c, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0', buf[strcspn(buf, "\n")] = '\0';
        describe(&p, from, sizeof from);
        int m = snprintf(reply, sizeof reply, "from %s got %s\n", from, buf);
        if (write(c, reply, (size_t)m) < 0) perror("netecho: write");
        close(c);
    }
}
