/* SPDX-License-Identifier: Apache-2.0 */
/* The slirp network plan (see plan.h). */
#include "plan.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void rl_net_plan_slirp(const rl_net_mode_t *mode, bool published, rl_net_plan_t *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->tap, sizeof p->tap, "tap0");
    p->mtu = mode->mtu;
    inet_pton(AF_INET, "10.0.2.100", &p->addr);
    inet_pton(AF_INET, "10.0.2.2", &p->gw);
    inet_pton(AF_INET, "10.0.2.0", &p->net);
    inet_pton(AF_INET, "10.0.2.3", &p->dns);
    inet_pton(AF_INET, "10.0.2.15", &p->dhcp_start);
    p->prefix = 24;
    p->ipv6 = mode->enable_ipv6;
    inet_pton(AF_INET6, "fd00::100", &p->addr6);
    inet_pton(AF_INET6, "fd00::2", &p->gw6);
    inet_pton(AF_INET6, "fd00::", &p->net6);
    inet_pton(AF_INET6, "fd00::3", &p->dns6);
    p->prefix6 = 64;
    p->allow_host_loopback = mode->allow_host_loopback;
    p->out_queue = RL_NET_OUTBOUND_QUEUE;
    p->out_refuse_mark = RL_NET_OUTBOUND_REFUSE_MARK;
    if (published) p->fwd_mark = RL_NET_FWD_MARK, p->fwd_table = RL_NET_FWD_TABLE;
}
