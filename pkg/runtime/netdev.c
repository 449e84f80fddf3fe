/* SPDX-License-Identifier: Apache-2.0 */
#include "netdev.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/fib_rules.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"
#include "outbound.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/dl.h"
#include "pkg/util/log.h"

// clang-format off
#define MNL_SYMS(X)                                                                                \
    X(mnl_nlmsg_put_header) X(mnl_nlmsg_put_extra_header) X(mnl_attr_put) X(mnl_attr_put_u32)
// clang-format on
RL_DL_TABLE(libmnl, MNL_SYMS, "libmnl.so.0", "libmnl0")
#define mnl_nlmsg_put_header       libmnl.mnl_nlmsg_put_header
#define mnl_nlmsg_put_extra_header libmnl.mnl_nlmsg_put_extra_header
#define mnl_attr_put               libmnl.mnl_attr_put
#define mnl_attr_put_u32           libmnl.mnl_attr_put_u32

int rl_netdev_load(const rl_net_plan_t *d, rl_error_t *err)
{
    if (libmnl_load(err) < 0) return -1;
    return d->out_queue ? rl_outbound_load(err) : 0;
}

void rl_netfds_close(rl_netfds_t *f)
{
    int *fds[] = {&f->tap, &f->out_listen, &f->out_queue};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (*fds[i] >= 0) close(*fds[i]), *fds[i] = -1;
}

/* The messages are built with libmnl in buf; nl.c sends them. */
typedef struct nl {
    int fd;
    unsigned seq;
    char buf[8192]; /* MNL_SOCKET_BUFFER_SIZE, a page or 8 kB */
} nl_t;

static struct nlmsghdr *request(nl_t *nl, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *h = mnl_nlmsg_put_header(nl->buf);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    h->nlmsg_seq = ++nl->seq;
    return h;
}

/* Send and wait for the kernel's ack; its error becomes ours. */
static int talk(nl_t *nl, struct nlmsghdr *h, const char *what, rl_error_t *err)
{
    return rl_nl_talk(nl->fd, h, h->nlmsg_len, h->nlmsg_seq, what, err);
}

static int link_up(nl_t *nl, int index, unsigned mtu, const char *name, rl_error_t *err)
{
    struct nlmsghdr *h = request(nl, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = index;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    if (mtu) mnl_attr_put_u32(h, IFLA_MTU, mtu);
    char what[64];
    snprintf(what, sizeof what, "bring %s up", name);
    return talk(nl, h, what, err);
}

static int add_addr(nl_t *nl, int index, int family, const void *addr, unsigned prefix,
                    rl_error_t *err)
{
    struct nlmsghdr *h = request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(h, sizeof *ifa);
    size_t len = family == AF_INET ? 4 : 16;
    ifa->ifa_family = (uint8_t)family;
    ifa->ifa_prefixlen = (uint8_t)prefix;
    ifa->ifa_index = (uint32_t)index;
    /* no duplicate address detection: the address works at once */
    ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
    mnl_attr_put(h, IFA_LOCAL, len, addr);
    mnl_attr_put(h, IFA_ADDRESS, len, addr);
    return talk(nl, h, family == AF_INET ? "add the IPv4 address" : "add the IPv6 address", err);
}

static int add_default_route(nl_t *nl, int index, int family, const void *gw, rl_error_t *err)
{
    struct nlmsghdr *h = request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    struct rtmsg *rt = mnl_nlmsg_put_extra_header(h, sizeof *rt);
    rt->rtm_family = (uint8_t)family;
    rt->rtm_table = RT_TABLE_MAIN;
    rt->rtm_protocol = RTPROT_BOOT;
    rt->rtm_scope = RT_SCOPE_UNIVERSE;
    rt->rtm_type = RTN_UNICAST;
    mnl_attr_put(h, RTA_GATEWAY, family == AF_INET ? 4 : 16, gw);
    mnl_attr_put_u32(h, RTA_OIF, (uint32_t)index);
    return talk(nl, h, family == AF_INET ? "add the default route" : "add the IPv6 default route",
                err);
}

/* fwmark → its own table (a rule) */
static int add_mark_rule(nl_t *nl, unsigned mark, unsigned table, rl_error_t *err)
{
    struct nlmsghdr *h = request(nl, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL);
    struct fib_rule_hdr *r = mnl_nlmsg_put_extra_header(h, sizeof *r);
    r->family = AF_INET;
    r->action = FR_ACT_TO_TBL;
    mnl_attr_put_u32(h, FRA_FWMARK, mark);
    mnl_attr_put_u32(h, FRA_TABLE, table);
    mnl_attr_put_u32(h, FRA_PRIORITY, 100);
    return talk(nl, h, "add the published ports' routing rule", err);
}

/* that table: every IPv4 address is local (through lo) */
static int add_local_route(nl_t *nl, unsigned table, rl_error_t *err)
{
    struct nlmsghdr *h = request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    struct rtmsg *rt = mnl_nlmsg_put_extra_header(h, sizeof *rt);
    rt->rtm_family = AF_INET;
    rt->rtm_table = RT_TABLE_UNSPEC;
    rt->rtm_protocol = RTPROT_BOOT;
    rt->rtm_scope = RT_SCOPE_HOST;
    rt->rtm_type = RTN_LOCAL;
    mnl_attr_put_u32(h, RTA_TABLE, table);
    mnl_attr_put_u32(h, RTA_OIF, 1); /* lo is always 1 in a new netns */
    return talk(nl, h, "add the published ports' local route", err);
}

static int local_mark(nl_t *nl, const rl_net_plan_t *d, rl_error_t *err)
{
    if (add_mark_rule(nl, d->fwd_mark, d->fwd_table, err) < 0 ||
        add_local_route(nl, d->fwd_table, err) < 0)
        return -1;
    rl_autoclose int fd = open("/proc/sys/net/ipv4/tcp_fwmark_accept", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "1", 1) != 1)
        return rl_error_set(err, errno, "set net.ipv4.tcp_fwmark_accept");
    return 0;
}

static int open_tap(const char *name, int *index, rl_error_t *err)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return rl_error_set(err, errno,
                            "open /dev/net/tun (slirp networking needs it readable and writable "
                            "by you, mode 0666 as distributions ship it; or use --network none)");
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    /* persistent: closing the last fd then leaves the device to the
     * netns's own (asynchronous) teardown; otherwise that close unregisters
     * it on the spot, which waits out RCU grace periods: ~20 ms of every
     * `rl run` spent in the monitor's exit */
    if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0) {
        rl_error_set(err, errno, "create tap device %s", name);
        close(fd);
        return -1;
    }
    rl_autoclose int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || ioctl(s, SIOCGIFINDEX, &ifr) < 0) {
        rl_error_set(err, errno, "find tap device %s", name);
        close(fd);
        return -1;
    }
    *index = ifr.ifr_ifindex;
    return fd;
}

static int configure(nl_t *nl, const rl_net_plan_t *d, int index, rl_error_t *err)
{
    if (link_up(nl, index, d->mtu, d->tap, err) < 0 ||
        add_addr(nl, index, AF_INET, &d->addr, d->prefix, err) < 0 ||
        add_default_route(nl, index, AF_INET, &d->gw, err) < 0)
        return -1;
    if (d->fwd_mark && local_mark(nl, d, err) < 0) return -1;
    if (d->ipv6 && (add_addr(nl, index, AF_INET6, &d->addr6, d->prefix6, err) < 0 ||
                    add_default_route(nl, index, AF_INET6, &d->gw6, err) < 0))
        return -1;
    return 0;
}

/* Without the kernel's parts for it, slirp carries outbound TCP too. */
static void outbound(const rl_net_plan_t *d, rl_netfds_t *fds)
{
    if (!d->out_queue) return;
    uint32_t mask = d->prefix ? htonl(~0u << (32 - d->prefix)) : 0;
    rl_outbound_cfg_t c = {.tap = d->tap,
                           .queue = d->out_queue,
                           .net = d->addr.s_addr & mask,
                           .netmask = mask,
                           .refuse_mark = d->out_refuse_mark};
    rl_error_t err = RL_ERROR_INIT;
    if (rl_outbound_setup(&c, &fds->out_listen, &fds->out_queue, &err) < 0)
        rl_debug("outbound TCP stays with slirp: %s", err.msg);
    rl_error_clear(&err);
}

int rl_netdev_create(const rl_net_plan_t *d, rl_netfds_t *fds, rl_error_t *err)
{
    if (libmnl_load(err) < 0) return -1;
    int index = 0, fd = open_tap(d->tap, &index, err);
    if (fd < 0) return -1;
    static nl_t nl; /* a large buffer; one setup per process */
    if ((nl.fd = rl_nl_open(NETLINK_ROUTE, err)) < 0) return close(fd), -1;
    nl.seq = (unsigned)time(NULL);
    int r = configure(&nl, d, index, err);
    close(nl.fd);
    if (r < 0) {
        close(fd);
        return rl_error_wrap(err, "network device %s", d->tap);
    }
    fds->tap = fd;
    outbound(d, fds);
    return 0;
}
