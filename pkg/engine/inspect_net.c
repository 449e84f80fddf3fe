/* SPDX-License-Identifier: Apache-2.0 */
#include "inspect_net.h"

#include <stdio.h>
#include <string.h>

#include "ctr.h"
#include "pkg/network/netmode.h"

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
    rl_net_mode_t m;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_net_mode_parse(r->network, &m, &e) < 0) return rl_error_clear(&e), STR("");
    static const char *const names[] = {"slirp4netns", "none", "host"};
    if (m.kind != RL_NET_CONTAINER) return STR(names[m.kind]);
    char buf[300];
    snprintf(buf, sizeof buf, "container:%s", m.container);
    return json_object_new_string(buf);
}

json_object *rl_engine_inspect_network(const rl_ctr_rec_t *r, const rl_ctr_state_t *st)
{
    json_object *o = json_object_new_object();
    rl_net_mode_t m;
    rl_error_t e = RL_ERROR_INIT;
    bool running = rl_ctr_state_live(st) == RL_CTR_RUNNING;
    if (rl_net_mode_parse(r->network, &m, &e) < 0) rl_error_clear(&e), m.kind = RL_NET_NONE;
    bool slirp = running && m.kind == RL_NET_SLIRP, v6 = slirp && m.enable_ipv6;
    ADD(o, "EndpointID", STR(""));
    ADD(o, "Gateway", STR(slirp ? "10.0.2.2" : ""));
    ADD(o, "IPAddress", STR(slirp ? "10.0.2.100" : ""));
    ADD(o, "IPPrefixLen", json_object_new_int(slirp ? 24 : 0));
    ADD(o, "IPv6Gateway", STR(v6 ? "fd00::2" : ""));
    ADD(o, "GlobalIPv6Address", STR(v6 ? "fd00::100" : ""));
    ADD(o, "GlobalIPv6PrefixLen", json_object_new_int(v6 ? 64 : 0));
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
