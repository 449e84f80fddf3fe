/* SPDX-License-Identifier: Apache-2.0 */
/* /etc/resolv.conf, /etc/hosts and /etc/hostname for a container, written
 * at create into its directory and bound in (as podman does). */
#ifndef RL_NETWORK_ETCFILES_H
#define RL_NETWORK_ETCFILES_H

#include <stdbool.h>

#include "netmode.h"
#include "pkg/util/error.h"

typedef struct rl_net_etc_opts {
    const rl_net_mode_t *net;
    const char *hostname;                 /* the container's */
    const char *name;                     /* its rl name, also resolvable */
    char **dns, **dns_search, **dns_opts; /* --dns, --dns-search, --dns-option */
    char **add_hosts;                     /* --add-host NAME:IP */
    const char *host_resolv;              /* the host's resolv.conf ("/etc/resolv.conf") */
    const char *host_hosts;               /* the host's hosts ("/etc/hosts"), for --network host */
    const char *host_ip;                  /* the host's first non-loopback IPv4 address, or NULL */
} rl_net_etc_opts_t;

/* Check the user's values before anything is created. */
int rl_net_etc_check(const rl_net_etc_opts_t *o, rl_error_t *err);
char *rl_net_etc_resolv_conf(const rl_net_etc_opts_t *o);
char *rl_net_etc_hosts(const rl_net_etc_opts_t *o);
/* The host's first IPv4 address that is not loopback (into buf), or NULL. */
const char *rl_net_etc_host_ip(char buf[16]);

#endif
