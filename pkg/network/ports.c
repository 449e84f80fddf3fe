/* SPDX-License-Identifier: Apache-2.0 */
#include "ports.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"

#define MAX_PORTS 65536 /* per spec: a range cannot be larger */

typedef struct range {
    unsigned lo, hi; /* hi == lo for one port; 0 0 when absent */
} range_t;

/* "N" or "N-M", 1..65535 (0 allowed for a host port: pick one). */
static int parse_range(const char *spec, const char *s, size_t len, bool zero_ok, range_t *r,
                       rl_error_t *err)
{
    char buf[16];
    if (len == 0 || len >= sizeof buf)
        return rl_error_set(err, 0, "-p '%s': a port is missing or too long", spec);
    memcpy(buf, s, len), buf[len] = '\0';
    char *dash = strchr(buf, '-'), *end;
    if (dash) *dash = '\0';
    for (char *p = buf; *p; p++)
        if (*p < '0' || *p > '9')
            return rl_error_set(err, 0, "-p '%s': '%.*s' is not a port number", spec, (int)len, s);
    unsigned long lo = strtoul(buf, &end, 10), hi = lo;
    if (dash) {
        for (char *p = dash + 1; *p; p++)
            if (*p < '0' || *p > '9')
                return rl_error_set(err, 0, "-p '%s': '%.*s' is not a port range", spec, (int)len,
                                    s);
        if (!dash[1] || !*buf)
            return rl_error_set(err, 0, "-p '%s': '%.*s' is not a port range", spec, (int)len, s);
        hi = strtoul(dash + 1, &end, 10);
    }
    if (lo > 65535 || hi > 65535)
        return rl_error_set(err, 0, "-p '%s': ports go from 1 to 65535", spec);
    if ((lo == 0 || hi == 0) && !(zero_ok && lo == 0 && hi == 0))
        return rl_error_set(err, 0,
                            "-p '%s': port 0 cannot be published (ports go from 1 to 65535)", spec);
    if (hi < lo)
        return rl_error_set(err, 0, "-p '%s': the range %lu-%lu is reversed", spec, lo, hi);
    r->lo = (unsigned)lo, r->hi = (unsigned)hi;
    return 0;
}

static int parse_proto(const char *spec, const char *proto, bool *udp, rl_error_t *err)
{
    if (!proto || !strcmp(proto, "tcp")) return *udp = false, 0;
    if (!strcmp(proto, "udp")) return *udp = true, 0;
    return rl_error_set(err, 0, "-p '%s': unknown protocol '%s' (use tcp or udp)", spec, proto);
}

/* The host address: an IPv4 or IPv6 literal ("[::1]" or "::1"). */
static int parse_ip(const char *spec, const char *s, size_t len, char out[INET6_ADDRSTRLEN],
                    rl_error_t *err)
{
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') s++, len -= 2;
    char buf[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (len == 0) return out[0] = '\0', 0;
    if (len >= sizeof buf) goto bad;
    memcpy(buf, s, len), buf[len] = '\0';
    if (inet_pton(AF_INET, buf, bin) == 1 || inet_pton(AF_INET6, buf, bin) == 1) {
        memcpy(out, buf, len + 1);
        return 0;
    }
bad:
    return rl_error_set(err, 0, "-p '%s': '%.*s' is not an IP address of this host", spec,
                        (int)(len > 64 ? 64 : len), s);
}

static void add(rl_net_ports_t *ps, const char *ip, unsigned host, unsigned ctr, bool udp)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
    rl_net_port_t *p = &ps->v[ps->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->host_ip, sizeof p->host_ip, "%s", ip);
    p->host_port = (uint16_t)host, p->ctr_port = (uint16_t)ctr, p->udp = udp;
}

static int expand(rl_net_ports_t *ps, const char *spec, const char *ip, range_t host, range_t ctr,
                  bool udp, rl_error_t *err)
{
    unsigned n = ctr.hi - ctr.lo + 1;
    bool picked = host.lo == 0;
    if (!picked && host.hi - host.lo + 1 != n)
        return rl_error_set(
            err, 0, "-p '%s': the host range and the container range differ in length", spec);
    if (ps->n + n > MAX_PORTS)
        return rl_error_set(err, 0, "-p '%s': more than %d ports in all", spec, MAX_PORTS);
    for (unsigned i = 0; i < n; i++)
        add(ps, ip, picked ? 0 : host.lo + i, ctr.lo + i, udp);
    return 0;
}

int rl_net_ports_parse(rl_net_ports_t *ps, const char *spec, rl_error_t *err)
{
    rl_autofree char *s = xstrdup(spec);
    char *slash = strchr(s, '/');
    if (slash) *slash = '\0';
    bool udp;
    if (parse_proto(spec, slash ? slash + 1 : NULL, &udp, err) < 0) return -1;
    /* the container port is after the last colon; an IPv6 host address is
     * in brackets, or has more colons than the two separators */
    char *last = strrchr(s, ':');
    char ip[INET6_ADDRSTRLEN] = "";
    range_t host = {0, 0}, ctr;
    const char *cport = last ? last + 1 : s;
    if (parse_range(spec, cport, strlen(cport), false, &ctr, err) < 0) return -1;
    if (last) {
        *last = '\0';
        char *mid = strrchr(s, ':'), *close = strchr(s, ']');
        if (mid && (s[0] != '[' || (close && mid > close))) { /* ip:[host]:ctr */
            *mid = '\0';
            if (parse_ip(spec, s, strlen(s), ip, err) < 0 ||
                (mid[1] && parse_range(spec, mid + 1, strlen(mid + 1), true, &host, err) < 0))
                return -1;
        } else if (s[0] == '[') { /* an address without its host port */
            return parse_ip(spec, s, strlen(s), ip, err) < 0 ? -1
                                                             : rl_error_set(err, 0,
                                                                            "-p '%s': give "
                                                                            "ip:hostPort:ctrPort",
                                                                            spec);
        } else if (parse_range(spec, s, strlen(s), true, &host, err) < 0) { /* host:ctr */
            return -1;
        }
    }
    return expand(ps, spec, ip, host, ctr, udp, err);
}

int rl_net_ports_parse_exposed(rl_net_ports_t *ps, const char *spec, rl_error_t *err)
{
    rl_autofree char *s = xstrdup(spec);
    char *slash = strchr(s, '/');
    if (slash) *slash = '\0';
    bool udp;
    range_t ctr;
    if (parse_proto(spec, slash ? slash + 1 : NULL, &udp, err) < 0 ||
        parse_range(spec, s, strlen(s), false, &ctr, err) < 0)
        return rl_error_wrap(err, "expose");
    return expand(ps, spec, "", (range_t){0, 0}, ctr, udp, err);
}

/* (container port, protocol) pairs already published: a bit each */
typedef struct port_set {
    uint8_t bits[2][65536 / 8];
} port_set_t;

static bool set_test_add(port_set_t *set, const rl_net_port_t *p)
{
    uint8_t *b = &set->bits[p->udp][p->ctr_port / 8], m = (uint8_t)(1u << (p->ctr_port % 8));
    bool had = *b & m;
    *b |= m;
    return had;
}

/* -P: the exposed ports not published yet */
static int add_exposed(rl_net_ports_t *ps, port_set_t *set, char *const *list, rl_error_t *err)
{
    for (size_t i = 0; list && list[i]; i++) {
        rl_net_ports_t more = {0};
        if (rl_net_ports_parse_exposed(&more, list[i], err) < 0) return -1;
        for (size_t j = 0; j < more.n && ps->n < MAX_PORTS; j++)
            if (!set_test_add(set, &more.v[j])) add(ps, "", 0, more.v[j].ctr_port, more.v[j].udp);
        rl_net_ports_clear(&more);
    }
    return 0;
}

static int by_host_port(const void *a, const void *b)
{
    const rl_net_port_t *x = *(const rl_net_port_t *const *)a,
                        *y = *(const rl_net_port_t *const *)b;
    if (x->udp != y->udp) return x->udp - y->udp;
    return (int)x->host_port - (int)y->host_port;
}

/* Two entries on one host port: sorted by port, only neighbours can clash. */
static int check_clashes(const rl_net_ports_t *ps, rl_error_t *err)
{
    const rl_net_port_t **v = xcalloc(ps->n + 1, sizeof *v);
    for (size_t i = 0; i < ps->n; i++)
        v[i] = &ps->v[i];
    qsort(v, ps->n, sizeof *v, by_host_port);
    const rl_net_port_t *clash = NULL;
    for (size_t i = 0; i < ps->n && !clash; i++)
        for (size_t j = i + 1;
             v[i]->host_port && j < ps->n && !by_host_port(&v[i], &v[j]) && !clash; j++)
            if (rl_net_port_same_host(v[i], v[j])) clash = v[i];
    int r = 0;
    if (clash)
        r = rl_error_set(err, 0, "-p: host port %u/%s is published twice",
                         (unsigned)clash->host_port, clash->udp ? "udp" : "tcp");
    free(v);
    return r;
}

int rl_net_ports_resolve(rl_net_ports_t *ps, char *const *publish, char *const *expose,
                         char *const *image_exposed, bool all, rl_error_t *err)
{
    for (size_t i = 0; publish && publish[i]; i++)
        if (rl_net_ports_parse(ps, publish[i], err) < 0) return -1;
    for (size_t i = 0; expose && expose[i]; i++) { /* checked even without -P */
        rl_net_ports_t check = {0};
        int r = rl_net_ports_parse_exposed(&check, expose[i], err);
        rl_net_ports_clear(&check);
        if (r < 0) return -1;
    }
    if (all) {
        port_set_t *set = xcalloc(1, sizeof *set);
        for (size_t i = 0; i < ps->n; i++)
            set_test_add(set, &ps->v[i]);
        int r =
            add_exposed(ps, set, expose, err) < 0 || add_exposed(ps, set, image_exposed, err) < 0
                ? -1
                : 0;
        free(set);
        if (r < 0) return -1;
    }
    return check_clashes(ps, err);
}

void rl_net_port_host_text(const rl_net_port_t *p, char out[RL_PORT_HOST_TEXT])
{
    bool v6 = strchr(p->host_ip, ':') != NULL;
    snprintf(out, RL_PORT_HOST_TEXT, "%s%s%s:%u", v6 ? "[" : "",
             p->host_ip[0] ? p->host_ip : "0.0.0.0", v6 ? "]" : "", (unsigned)p->host_port);
}

char *rl_net_port_format(const rl_net_port_t *p)
{
    bool v6 = strchr(p->host_ip, ':') != NULL;
    return xasprintf("%s%s%s:%u:%u/%s", v6 ? "[" : "", p->host_ip, v6 ? "]" : "",
                     (unsigned)p->host_port, (unsigned)p->ctr_port, p->udp ? "udp" : "tcp");
}

bool rl_net_port_same_host(const rl_net_port_t *a, const rl_net_port_t *b)
{
    if (a->udp != b->udp || a->host_port != b->host_port || a->host_port == 0) return false;
    /* "" (every address) clashes with any address */
    return !a->host_ip[0] || !b->host_ip[0] || !strcmp(a->host_ip, b->host_ip);
}

void rl_net_ports_clear(rl_net_ports_t *ps)
{
    free(ps->v);
    ps->v = NULL, ps->n = ps->cap = 0;
}

void rl_net_ports_from_strv(rl_net_ports_t *ps, char *const *v)
{
    for (size_t i = 0; v && v[i]; i++) {
        rl_error_t e = RL_ERROR_INIT;
        if (rl_net_ports_parse(ps, v[i], &e) < 0) rl_error_clear(&e);
    }
}

/* p[0..n) continue each other: host and container ports both +1 */
static size_t run_length(const rl_net_port_t *p, size_t n)
{
    size_t k = 1;
    while (k < n && p[k].udp == p[0].udp && !strcmp(p[k].host_ip, p[0].host_ip) &&
           p[k].host_port == p[0].host_port + k && p[k].ctr_port == p[0].ctr_port + k)
        k++;
    return k;
}

char *rl_net_ports_summary(const rl_net_ports_t *ps)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    rl_strbuf_append(&sb, "");
    for (size_t i = 0; i < ps->n;) {
        const rl_net_port_t *p = &ps->v[i];
        size_t k = p->host_port ? run_length(p, ps->n - i) : 1;
        i += k;
        if (!p->host_port) continue;
        char host[RL_PORT_HOST_TEXT];
        rl_net_port_host_text(p, host);
        rl_strbuf_appendf(&sb, "%s%s", sb.len ? ", " : "", host);
        if (k > 1) rl_strbuf_appendf(&sb, "-%u", (unsigned)(p->host_port + k - 1));
        rl_strbuf_appendf(&sb, "->%u", (unsigned)p->ctr_port);
        if (k > 1) rl_strbuf_appendf(&sb, "-%u", (unsigned)(p->ctr_port + k - 1));
        rl_strbuf_appendf(&sb, "/%s", p->udp ? "udp" : "tcp");
    }
    return rl_strbuf_steal(&sb);
}
