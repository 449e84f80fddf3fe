/* SPDX-License-Identifier: Apache-2.0 */
#include "dnsproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dnsmsg.h"
#include "pkg/util/xalloc.h"

#define MAX_PENDING 32
#define ETH_LEN     14
#define IP_LEN      20
#define UDP_LEN     8

typedef struct pending {
    pid_t pid;
    int fd;                                   /* the child's answer */
    uint8_t head[ETH_LEN + IP_LEN + UDP_LEN]; /* the query's headers */
    uint8_t msg[512];                         /* the query, up to its question */
    rl_net_dns_query_t q;
} pending_t;

struct rl_net_dnsproxy {
    int tap;
    pending_t p[MAX_PENDING];
    size_t n;
};

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

const uint8_t *rl_net_dns_frame_query(const uint8_t *f, size_t len, size_t *qlen)
{
    static const uint8_t dns_ip[4] = {10, 0, 2, 3};
    if (len < ETH_LEN + IP_LEN + UDP_LEN || get16(f + 12) != 0x0800) return NULL;
    const uint8_t *ip = f + ETH_LEN;
    size_t ihl = (size_t)(ip[0] & 0xf) * 4, total = get16(ip + 2);
    /* IPv4, UDP, to the DNS address, not a fragment */
    if ((ip[0] >> 4) != 4 || ihl < IP_LEN || ip[9] != 17 || memcmp(ip + 16, dns_ip, 4) ||
        (get16(ip + 6) & 0x3fff) || total < ihl + UDP_LEN || ETH_LEN + total > len)
        return NULL;
    const uint8_t *udp = ip + ihl;
    size_t ulen = get16(udp + 4);
    if (get16(udp + 2) != 53 || ulen < UDP_LEN || ulen > total - ihl) return NULL;
    *qlen = ulen - UDP_LEN;
    return udp + UDP_LEN;
}

rl_net_dnsproxy_t *rl_net_dnsproxy_new(int tap)
{
    rl_net_dnsproxy_t *d = xcalloc(1, sizeof *d);
    d->tap = tap;
    return d;
}

static void drop(rl_net_dnsproxy_t *d, size_t i)
{
    close(d->p[i].fd);
    kill(d->p[i].pid, SIGKILL);
    while (waitpid(d->p[i].pid, NULL, 0) < 0 && errno == EINTR) {
    }
    d->p[i] = d->p[--d->n];
}

void rl_net_dnsproxy_free(rl_net_dnsproxy_t *d)
{
    if (!d) return;
    while (d->n)
        drop(d, d->n - 1);
    free(d);
}

/* The child: resolve, write "rcode n addr..." to fd 3, exit. Only fd 3 is
 * kept (a slow lookup must not hold the monitor's ports or pipes). */
static __attribute__((noreturn)) void resolve(const rl_net_dns_query_t *q, int fd)
{
    int null = open("/dev/null", O_RDWR);
    if (dup2(fd, 3) < 0) _exit(1);
    if (null >= 0) dup2(null, 0), dup2(null, 1), dup2(null, 2);
    syscall(SYS_close_range, 4, ~0U, 0);
    struct addrinfo hints = {.ai_family = q->qtype == RL_DNS_AAAA ? AF_INET6 : AF_INET,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int r = getaddrinfo(q->name, NULL, &hints, &res);
    if (r == EAI_NONAME || r == EAI_ADDRFAMILY) {
        /* a name with addresses of the other family only: no data, not
         * "no such name" (a resolver would stop asking for the other) */
        struct addrinfo any = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *other;
        if (getaddrinfo(q->name, NULL, &any, &other) == 0) r = EAI_NODATA, freeaddrinfo(other);
    }
    struct {
        int32_t rcode, n;
        rl_net_dns_addr_t a[24];
    } out = {.rcode = r == 0 || r == EAI_NODATA ? RL_DNS_NOERROR
                      : r == EAI_NONAME         ? RL_DNS_NXDOMAIN
                                                : RL_DNS_SERVFAIL};
    for (struct addrinfo *a = res; a && out.n < 24; a = a->ai_next) {
        rl_net_dns_addr_t *x = &out.a[out.n++];
        x->v6 = a->ai_family == AF_INET6;
        if (x->v6)
            memcpy(x->a, &((struct sockaddr_in6 *)a->ai_addr)->sin6_addr, 16);
        else
            memcpy(x->a, &((struct sockaddr_in *)a->ai_addr)->sin_addr, 4);
    }
    if (res) freeaddrinfo(res);
    if (write(3, &out, sizeof out) < 0) _exit(1);
    _exit(0);
}

bool rl_net_dnsproxy_take(rl_net_dnsproxy_t *d, const uint8_t *frame, size_t len)
{
    size_t qlen;
    const uint8_t *msg = rl_net_dns_frame_query(frame, len, &qlen);
    rl_net_dns_query_t q;
    if (!msg || rl_net_dns_parse_query(msg, qlen, &q) < 0 ||
        (q.qtype != RL_DNS_A && q.qtype != RL_DNS_AAAA))
        return false;
    if (d->n == MAX_PENDING) return true; /* dropped: the resolver retries */
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return true;
    pid_t pid = fork();
    if (pid == 0) resolve(&q, p[1]);
    close(p[1]);
    if (pid < 0) return close(p[0]), true;
    pending_t *x = &d->p[d->n++];
    x->pid = pid, x->fd = p[0], x->q = q;
    size_t ihl = (size_t)(frame[ETH_LEN] & 0xf) * 4;
    memcpy(x->head, frame, ETH_LEN);
    memcpy(x->head + ETH_LEN, frame + ETH_LEN, IP_LEN); /* addresses at fixed offsets */
    memcpy(x->head + ETH_LEN + IP_LEN, frame + ETH_LEN + ihl, UDP_LEN);
    memcpy(x->msg, msg, q.qend);
    return true;
}

size_t rl_net_dnsproxy_fill(rl_net_dnsproxy_t *d, struct pollfd *fds, size_t max)
{
    size_t i = 0;
    for (; i < d->n && i < max; i++)
        fds[i] = (struct pollfd){.fd = d->p[i].fd, .events = POLLIN};
    return i;
}

static uint16_t ip_checksum(const uint8_t *h, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 2)
        sum += get16(h + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* From 10.0.2.3:53 back to the query's sender, on the tap. */
static void answer(rl_net_dnsproxy_t *d, const pending_t *x, const uint8_t *dns, size_t n)
{
    uint8_t f[ETH_LEN + IP_LEN + UDP_LEN + 512];
    const uint8_t *qe = x->head, *qi = x->head + ETH_LEN, *qu = qi + IP_LEN;
    memcpy(f, qe + 6, 6), memcpy(f + 6, qe, 6), put16(f + 12, 0x0800);
    uint8_t *ip = f + ETH_LEN, *udp = ip + IP_LEN;
    memset(ip, 0, IP_LEN);
    ip[0] = 0x45, ip[8] = 64, ip[9] = 17;
    put16(ip + 2, (uint16_t)(IP_LEN + UDP_LEN + n));
    put16(ip + 6, 0x4000); /* don't fragment */
    memcpy(ip + 12, qi + 16, 4), memcpy(ip + 16, qi + 12, 4);
    put16(ip + 10, ip_checksum(ip, IP_LEN));
    put16(udp, 53), memcpy(udp + 2, qu, 2);
    put16(udp + 4, (uint16_t)(UDP_LEN + n)), put16(udp + 6, 0); /* no checksum: IPv4 allows it */
    memcpy(udp + UDP_LEN, dns, n);
    if (write(d->tap, f, ETH_LEN + IP_LEN + UDP_LEN + n) < 0) {
        /* a full tap queue: lost, as UDP may be; the resolver retries */
    }
}

static void complete(rl_net_dnsproxy_t *d, const pending_t *x)
{
    struct {
        int32_t rcode, n;
        rl_net_dns_addr_t a[24];
    } r;
    ssize_t got = read(x->fd, &r, sizeof r);
    if (got != (ssize_t)sizeof r) r.rcode = RL_DNS_SERVFAIL, r.n = 0;
    uint8_t out[512];
    size_t n = rl_net_dns_build_answer(x->msg, &x->q, r.rcode, r.a, (size_t)r.n, out, sizeof out);
    if (n) answer(d, x, out, n);
}

void rl_net_dnsproxy_poll(rl_net_dnsproxy_t *d, const struct pollfd *fds, size_t n)
{
    /* backwards: drop() moves the last entry into the hole */
    for (size_t i = n < d->n ? n : d->n; i-- > 0;) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        complete(d, &d->p[i]);
        drop(d, i);
    }
}
