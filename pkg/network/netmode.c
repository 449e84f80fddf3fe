/* SPDX-License-Identifier: Apache-2.0 */
#include "netmode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"

#define DEFAULT_MTU 65520

static int parse_bool(const char *spec, const char *key, const char *v, bool *out, rl_error_t *err)
{
    if (!strcmp(v, "true")) return *out = true, 0;
    if (!strcmp(v, "false")) return *out = false, 0;
    return rl_error_set(err, 0, "--network '%s': %s takes true or false", spec, key);
}

static int parse_mtu(const char *spec, const char *v, unsigned *mtu, rl_error_t *err)
{
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    /* 1280: IPv6's minimum; 65521 and up: more than slirp can carry */
    if (!*v || *end || v[0] == '-' || n < 1280 || n > DEFAULT_MTU)
        return rl_error_set(err, 0, "--network '%s': mtu goes from 1280 to %d", spec, DEFAULT_MTU);
    *mtu = (unsigned)n;
    return 0;
}

static int slirp_opts(const char *spec, char *opts, rl_net_mode_t *m, rl_error_t *err)
{
    for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(o, '=');
        if (!eq) return rl_error_set(err, 0, "--network '%s': '%s' is not OPTION=VALUE", spec, o);
        *eq = '\0';
        const char *v = eq + 1;
        int r;
        if (!strcmp(o, "allow_host_loopback"))
            r = parse_bool(spec, o, v, &m->allow_host_loopback, err);
        else if (!strcmp(o, "enable_ipv6"))
            r = parse_bool(spec, o, v, &m->enable_ipv6, err);
        else if (!strcmp(o, "mtu"))
            r = parse_mtu(spec, v, &m->mtu, err);
        else if (!strcmp(o, "port_handler"))
            /* published ports go through the monitor's own relay whichever
             * slirp4netns would have used; both names are taken */
            r = strcmp(v, "rootlesskit") && strcmp(v, "slirp4netns")
                    ? rl_error_set(err, 0,
                                   "--network '%s': port_handler is rootlesskit or slirp4netns",
                                   spec)
                    : 0;
        else if (!strcmp(o, "cidr") || !strcmp(o, "outbound_addr") || !strcmp(o, "outbound_addr6"))
            r = rl_error_setk(err, RL_ERR_UNSUPPORTED, 0,
                              "--network '%s': %s is not supported yet (rl's slirp network is "
                              "10.0.2.0/24, outbound from the host's own address)",
                              spec, o);
        else
            r = rl_error_set(err, 0,
                             "--network '%s': unknown slirp option '%s' (use allow_host_loopback, "
                             "enable_ipv6, mtu)",
                             spec, o);
        if (r < 0) return -1;
    }
    return 0;
}

int rl_net_mode_parse(const char *spec, rl_net_mode_t *m, rl_error_t *err)
{
    memset(m, 0, sizeof *m);
    m->mtu = DEFAULT_MTU;
    /* bridge: podman's default network is, for a rootless user, the one
     * rl gives too (slirp) */
    if (!spec || !*spec || !strcmp(spec, "slirp") || !strcmp(spec, "slirp4netns") ||
        !strcmp(spec, "private") || !strcmp(spec, "bridge"))
        return m->kind = RL_NET_SLIRP, 0;
    if (!strcmp(spec, "none")) return m->kind = RL_NET_NONE, 0;
    if (!strcmp(spec, "host")) return m->kind = RL_NET_HOST, 0;
    if (!strncmp(spec, "container:", 10)) {
        const char *name = spec + 10;
        if (!*name || strlen(name) >= sizeof m->container)
            return rl_error_set(err, 0, "--network '%s': name the container (container:NAME)",
                                spec);
        snprintf(m->container, sizeof m->container, "%s", name);
        return m->kind = RL_NET_CONTAINER, 0;
    }
    const char *colon = strchr(spec, ':');
    size_t head = colon ? (size_t)(colon - spec) : strlen(spec);
    if ((head == 5 && !strncmp(spec, "slirp", 5)) ||
        (head == 11 && !strncmp(spec, "slirp4netns", 11))) {
        m->kind = RL_NET_SLIRP;
        rl_autofree char *opts = xstrdup(colon + 1);
        return slirp_opts(spec, opts, m, err);
    }
    return rl_error_set(
        err, 0, "--network '%s': unknown mode (use slirp, bridge, none, host or container:NAME)",
        spec);
}

char *rl_net_mode_format(const rl_net_mode_t *m)
{
    switch (m->kind) {
    case RL_NET_NONE:
        return xstrdup("none");
    case RL_NET_HOST:
        return xstrdup("host");
    case RL_NET_CONTAINER:
        return xasprintf("container:%s", m->container);
    case RL_NET_SLIRP:
        break;
    }
    if (!m->allow_host_loopback && !m->enable_ipv6 && m->mtu == DEFAULT_MTU) return NULL;
    char mtu[24] = "";
    if (m->mtu != DEFAULT_MTU) snprintf(mtu, sizeof mtu, "mtu=%u", m->mtu);
    return xasprintf(
        "slirp4netns:%s%s%s%s%s", m->allow_host_loopback ? "allow_host_loopback=true" : "",
        m->allow_host_loopback && (m->enable_ipv6 || *mtu) ? "," : "",
        m->enable_ipv6 ? "enable_ipv6=true" : "", m->enable_ipv6 && *mtu ? "," : "", mtu);
}
