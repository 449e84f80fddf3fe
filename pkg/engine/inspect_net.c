/* SPDX-License-Identifier: Apache-2.0 */
#include "inspect_net.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ctr.h"
#include "pkg/network/netmode.h"
#include "pkg/network/plan.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define STR(s)       json_object_new_string((s) ? (s) : "")

json_object *rl_engine_inspect_ports(char *const *ports)
{
    json_object *o = json_object_new_object();
    rl_net_ports_t ps = {0};
    rl_net_ports_from_strv(&ps, ports);
    for (size_t i = 0; i < ps.n; i++) {
        const rl_net_port_t *p = &ps.v[i];
        char key[16], host[8] = "";
        snprintf(key, sizeof key, "%u/%s", (unsigned)p->ctr_port, p->udp ? "udp" : "tcp");
        if (p->host_port) snprintf(host, sizeof host, "%u", (unsigned)p->host_port);
        json_object *list = NULL, *b = json_object_new_object();
        if (!json_object_object_get_ex(o, key, &list)) ADD(o, key, list = json_object_new_array());
        ADD(b, "HostIp", STR(p->host_ip));
        ADD(b, "HostPort", json_object_new_string(host));
        json_object_array_add(list, b);
    }
    rl_net_ports_clear(&ps);
    return o;
}

json_object *rl_engine_inspect_netmode(const rl_ctr_rec_t *r)
{
    const rl_net_mode_t m = r->network;
    static const char *const names[] = {"slirp4netns", "none", "host"};
    if (m.kind != RL_NET_CONTAINER) return STR(names[m.kind]);
    char buf[300];
    snprintf(buf, sizeof buf, "container:%s", m.container);
    return json_object_new_string(buf);
}

json_object *rl_engine_inspect_network(const rl_ctr_rec_t *r, const rl_ctr_state_t *st)
{
    json_object *o = json_object_new_object();
    const rl_net_mode_t m = r->network;
    bool running = rl_ctr_state_live(st) == RL_CTR_RUNNING;
    bool slirp = running && m.kind == RL_NET_SLIRP, v6 = slirp && m.enable_ipv6;
    rl_net_plan_t plan;
    rl_net_plan_slirp(&m, false, &plan);
    char gw[INET_ADDRSTRLEN] = "", addr[INET_ADDRSTRLEN] = "";
    char gw6[INET6_ADDRSTRLEN] = "", addr6[INET6_ADDRSTRLEN] = "";
    if (slirp) {
        inet_ntop(AF_INET, &plan.gw, gw, sizeof gw);
        inet_ntop(AF_INET, &plan.addr, addr, sizeof addr);
    }
    if (v6) {
        inet_ntop(AF_INET6, &plan.gw6, gw6, sizeof gw6);
        inet_ntop(AF_INET6, &plan.addr6, addr6, sizeof addr6);
    }
    ADD(o, "EndpointID", STR(""));
    ADD(o, "Gateway", json_object_new_string(gw));
    ADD(o, "IPAddress", json_object_new_string(addr));
    ADD(o, "IPPrefixLen", json_object_new_int(slirp ? (int)plan.prefix : 0));
    ADD(o, "IPv6Gateway", json_object_new_string(gw6));
    ADD(o, "GlobalIPv6Address", json_object_new_string(addr6));
    ADD(o, "GlobalIPv6PrefixLen", json_object_new_int(v6 ? (int)plan.prefix6 : 0));
    ADD(o, "MacAddress", STR(""));
    ADD(o, "Bridge", STR(""));
    ADD(o, "SandboxID", STR(""));
    ADD(o, "HairpinMode", json_object_new_boolean(false));
    ADD(o, "Ports", rl_engine_inspect_ports(rl_engine_ctr_port_specs(r, st)));
    char key[64] = "";
    if (running && m.kind != RL_NET_HOST)
        snprintf(key, sizeof key, "/proc/%d/ns/net", (int)st->pid);
    ADD(o, "SandboxKey", json_object_new_string(key));
    return o;
}
