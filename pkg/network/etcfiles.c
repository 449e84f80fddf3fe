/* SPDX-License-Identifier: Apache-2.0 */
#include "etcfiles.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"

#define SLIRP_GATEWAY "10.0.2.2"
#define SLIRP_DNS     "10.0.2.3"
#define SLIRP_ADDR    "10.0.2.100"

static bool is_ip(const char *s)
{
    unsigned char b[16];
    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* RFC 1123 labels; what resolvers accept in hosts and search lists */
static bool is_hostname(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 253 || s[0] == '.' || s[0] == '-') return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_') return false;
    return true;
}

/* "NAME:IP"; the IP may be IPv6 (colons) or host-gateway */
static int split_add_host(const char *v, char **name, const char **ip)
{
    const char *c = strchr(v, ':');
    if (!c) return -1;
    *name = xstrndup(v, (size_t)(c - v));
    *ip = c + 1;
    return 0;
}

int rl_net_etc_check(const rl_net_etc_opts_t *o, rl_error_t *err)
{
    for (size_t i = 0; o->dns && o->dns[i]; i++)
        if (!is_ip(o->dns[i]))
            return rl_error_set(err, 0, "--dns '%s': not an IP address", o->dns[i]);
    for (size_t i = 0; o->dns_search && o->dns_search[i]; i++)
        if (strcmp(o->dns_search[i], ".") && !is_hostname(o->dns_search[i]))
            return rl_error_set(err, 0, "--dns-search '%s': not a domain name", o->dns_search[i]);
    for (size_t i = 0; o->dns_opts && o->dns_opts[i]; i++)
        for (const char *p = o->dns_opts[i]; *p || p == o->dns_opts[i]; p++)
            if (!*p || isspace((unsigned char)*p))
                return rl_error_set(err, 0, "--dns-option '%s': one option, no spaces",
                                    o->dns_opts[i]);
    for (size_t i = 0; o->add_hosts && o->add_hosts[i]; i++) {
        rl_autofree char *name = NULL;
        const char *ip;
        if (split_add_host(o->add_hosts[i], &name, &ip) < 0 || !is_hostname(name) ||
            (!is_ip(ip) && strcmp(ip, "host-gateway")))
            return rl_error_set(err, 0, "--add-host '%s': use NAME:IP (or NAME:host-gateway)",
                                o->add_hosts[i]);
    }
    return 0;
}

/* The host's lines starting with word (nameserver, search, options). */
static void host_lines(rl_strbuf_t *sb, const char *text, const char *word, bool skip_loopback)
{
    size_t wl = strlen(word);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, word, wl) || !isspace((unsigned char)l[wl])) continue;
        size_t len = strcspn(l, "\n");
        const char *v = l + wl + strspn(l + wl, " \t");
        /* 127.0.0.53 and friends are the host's, not the container's */
        if (skip_loopback && (!strncmp(v, "127.", 4) || !strncmp(v, "::1", 3))) continue;
        rl_strbuf_append_n(sb, l, len);
        rl_strbuf_putc(sb, '\n');
    }
}

static void list_line(rl_strbuf_t *sb, const char *word, char **v)
{
    rl_strbuf_appendf(sb, "%s", word);
    for (size_t i = 0; v[i]; i++)
        if (strcmp(v[i], ".")) rl_strbuf_appendf(sb, " %s", v[i]);
    rl_strbuf_appendf(sb, "\n");
}

char *rl_net_etc_resolv_conf(const rl_net_etc_opts_t *o)
{
    rl_autofree char *host = NULL;
    rl_error_t e = RL_ERROR_INIT;
    size_t len;
    if (rl_fs_read_file(o->host_resolv, 1 << 20, &host, &len, &e) < 0) rl_error_clear(&e);
    rl_strbuf_t sb = RL_STRBUF_INIT;
    if (o->dns_search && o->dns_search[0])
        list_line(&sb, "search", o->dns_search);
    else if (host)
        host_lines(&sb, host, "search", false);
    if (o->dns && o->dns[0]) {
        for (size_t i = 0; o->dns[i]; i++)
            rl_strbuf_appendf(&sb, "nameserver %s\n", o->dns[i]);
    } else if (o->net->kind == RL_NET_SLIRP) {
        /* slirp's forwarder asks the host's resolvers, loopback ones too */
        rl_strbuf_appendf(&sb, "nameserver %s\n", SLIRP_DNS);
        if (o->net->enable_ipv6) rl_strbuf_appendf(&sb, "nameserver fd00::3\n");
    } else if (host) {
        host_lines(&sb, host, "nameserver", o->net->kind != RL_NET_HOST);
    }
    if (o->dns_opts && o->dns_opts[0])
        list_line(&sb, "options", o->dns_opts);
    else if (host)
        host_lines(&sb, host, "options", false);
    return rl_strbuf_steal(&sb);
}

char *rl_net_etc_hosts(const rl_net_etc_opts_t *o)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    /* host: the host's file; container:ID: that container's */
    if (o->net->kind == RL_NET_HOST || o->net->kind == RL_NET_CONTAINER) {
        rl_autofree char *host = NULL;
        rl_error_t e = RL_ERROR_INIT;
        size_t len;
        if (rl_fs_read_file(o->host_hosts, 1 << 20, &host, &len, &e) == 0)
            rl_strbuf_append_n(&sb, host, len);
        rl_error_clear(&e);
        if (sb.len && sb.buf[sb.len - 1] != '\n') rl_strbuf_putc(&sb, '\n');
    } else {
        rl_strbuf_appendf(&sb, "127.0.0.1\tlocalhost localhost.localdomain localhost4 "
                               "localhost4.localdomain4\n::1\tlocalhost localhost.localdomain "
                               "localhost6 localhost6.localdomain6\n");
    }
    for (size_t i = 0; o->add_hosts && o->add_hosts[i]; i++) {
        rl_autofree char *name = NULL;
        const char *ip;
        if (split_add_host(o->add_hosts[i], &name, &ip) < 0) continue;
        if (!strcmp(ip, "host-gateway"))
            ip = o->net->allow_host_loopback || !o->host_ip ? SLIRP_GATEWAY : o->host_ip;
        rl_strbuf_appendf(&sb, "%s\t%s\n", ip, name);
    }
    if (o->net->kind == RL_NET_SLIRP) {
        rl_strbuf_appendf(&sb, "%s\t%s%s%s\n", SLIRP_ADDR, o->hostname,
                          o->name && strcmp(o->name, o->hostname) ? " " : "",
                          o->name && strcmp(o->name, o->hostname) ? o->name : "");
        /* as podman: the host's own address, reached without host loopback;
         * with allow_host_loopback, the gateway is the host's loopback */
        const char *host = o->net->allow_host_loopback || !o->host_ip ? SLIRP_GATEWAY : o->host_ip;
        rl_strbuf_appendf(&sb, "%s\thost.containers.internal host.docker.internal\n", host);
    } else if (o->net->kind == RL_NET_NONE) {
        rl_strbuf_appendf(&sb, "127.0.1.1\t%s\n", o->hostname);
    }
    return rl_strbuf_steal(&sb);
}

const char *rl_net_etc_host_ip(char buf[16])
{
    struct ifaddrs *ifa;
    if (getifaddrs(&ifa) < 0) return NULL;
    const char *r = NULL;
    for (struct ifaddrs *i = ifa; i && !r; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK) ||
            !(i->ifa_flags & IFF_UP))
            continue;
        struct in_addr a = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
        r = inet_ntop(AF_INET, &a, buf, 16);
    }
    freeifaddrs(ifa);
    return r;
}
