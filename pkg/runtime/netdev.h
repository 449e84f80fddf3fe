/* The container's end of slirp networking: a tap device in the container's
 * network namespace, its addresses, MTU and default routes, set over
 * netlink (libmnl). The tap fd goes to the monitor, which runs libslirp on it. */
#ifndef RL_RUNTIME_NETDEV_H
#define RL_RUNTIME_NETDEV_H

#include <netinet/in.h>
#include <stdbool.h>

#include "pkg/util/error.h"

typedef struct rl_netdev {
    char name[16]; /* "tap0" */
    unsigned mtu;
    struct in_addr addr, gw; /* 10.0.2.100, 10.0.2.2 */
    unsigned prefix;         /* 24 */
    bool ipv6;
    struct in6_addr addr6, gw6; /* fd00::100, fd00::2 */
    unsigned prefix6;           /* 64 */
    /* published ports: traffic with this fwmark is delivered locally, and
     * accepted TCP sockets take their SYN's mark (pkg/network/portfwd.h) */
    unsigned fwd_mark, fwd_table;
} rl_netdev_t;

/* Parent, before the clone: load libmnl while the host's files are there. */
void rl_netdev_load(void);
/* Child, as root of the container's user namespace, inside its new network
 * namespace: create and configure the tap; *tap_fd is its open file. */
int rl_netdev_create(const rl_netdev_t *d, int *tap_fd, rl_error_t *err);

#endif
