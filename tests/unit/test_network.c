/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/network: -p specs, DNS messages and frames, outbound SYN headers (hostile ones included). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string.h>

#include "pkg/network/dnsmsg.h"
#include "pkg/network/dnsproxy.h"
#include "pkg/network/etcfiles.h"
#include "pkg/network/netmode.h"
#include "pkg/network/ports.h"
#include "pkg/network/synpkt.h"
#include "pkg/util/cleanup.h"
#include "unit.h"

/* Parse one spec and return the formatted entries joined by spaces. */
static char *parsed(const char *spec)
{
    rl_net_ports_t ps = {0};
    rl_error_t err = RL_ERROR_INIT;
    if (rl_net_ports_parse(&ps, spec, &err) < 0) fail_msg("'%s': %s", spec, err.msg);
    size_t len = 1;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < ps.n; i++) {
        char *f = rl_net_port_format(&ps.v[i]);
        len += strlen(f) + 1;
        out = realloc(out, len);
        if (i) strcat(out, " ");
        strcat(out, f);
        free(f);
    }
    rl_net_ports_clear(&ps);
    return out;
}

#define assert_parsed(spec, want)                                                                  \
    do {                                                                                           \
        char *got_ = parsed(spec);                                                                 \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void ports_good(void **state)
{
    (void)state;
    assert_parsed("80", ":0:80/tcp");
    assert_parsed("8080:80", ":8080:80/tcp");
    assert_parsed("8080:80/udp", ":8080:80/udp");
    assert_parsed("127.0.0.1:8080:80", "127.0.0.1:8080:80/tcp");
    assert_parsed("127.0.0.1::80/udp", "127.0.0.1:0:80/udp");
    assert_parsed("[::1]:8080:80", "[::1]:8080:80/tcp");
    assert_parsed("::1:8080:80", "[::1]:8080:80/tcp");
    assert_parsed("[fd00::2]::53/udp", "[fd00::2]:0:53/udp");
    assert_parsed("8000-8002:9000-9002", ":8000:9000/tcp :8001:9001/tcp :8002:9002/tcp");
    assert_parsed("9000-9001", ":0:9000/tcp :0:9001/tcp");
    assert_parsed("65535:1", ":65535:1/tcp");
}

static void ports_bad(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *want;
    } bad[] = {
        {"0", "port 0 cannot be published"},
        {"8080:0", "port 0 cannot be published"},
        {"65536", "ports go from 1 to 65535"},
        {"70000:80", "ports go from 1 to 65535"},
        {"99999999999999999999:80", "too long"},
        {"8010-8000:80", "is reversed"},
        {"80-70", "is reversed"},
        {"8000-8010:80-81", "differ in length"},
        {"80/sctp", "unknown protocol 'sctp'"},
        {"80/", "unknown protocol ''"},
        {"1.2.3.4.5:80:80", "not an IP address"},
        {"example.com:80:80", "not an IP address"},
        {"[::1:80:80", "not an IP address"},
        {"", "a port is missing"},
        {":", "a port is missing"},
        {"80:", "a port is missing"},
        {"abc", "not a port number"},
        {"-80", "not a port range"},
        {"80-", "not a port range"},
        {"8-0-9", "not a port range"},
        {"+80", "not a port number"},
        {" 80", "not a port number"},
        {"1:2:3:4", "not an IP address"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_net_ports_t ps = {0};
        rl_error_t err = RL_ERROR_INIT;
        int r = rl_net_ports_parse(&ps, bad[i].spec, &err);
        if (r == 0) fail_msg("'%s' was accepted", bad[i].spec);
        if (!strstr(err.msg, bad[i].want))
            fail_msg("'%s': '%s' lacks '%s'", bad[i].spec, err.msg, bad[i].want);
        assert_int_equal(ps.n, 0);
        rl_error_clear(&err);
        rl_net_ports_clear(&ps);
    }
}

static void ports_exposed_and_clashes(void **state)
{
    (void)state;
    rl_net_ports_t ps = {0};
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_net_ports_parse_exposed(&ps, "80/tcp", &err), 0);
    assert_int_equal(rl_net_ports_parse_exposed(&ps, "53/udp", &err), 0);
    assert_int_equal(rl_net_ports_parse_exposed(&ps, "7000-7001", &err), 0);
    assert_int_equal(ps.n, 4);
    assert_int_equal(ps.v[1].udp, true);
    assert_int_equal(ps.v[3].ctr_port, 7001);
    assert_error(rl_net_ports_parse_exposed(&ps, "80:80", &err), &err, "expose");
    rl_net_ports_clear(&ps);
    rl_net_port_t a = {.host_ip = "", .host_port = 8080, .ctr_port = 80};
    rl_net_port_t b = {.host_ip = "127.0.0.1", .host_port = 8080, .ctr_port = 81};
    rl_net_port_t c = {.host_ip = "127.0.0.1", .host_port = 8080, .ctr_port = 81, .udp = true};
    rl_net_port_t d = {.host_ip = "127.0.0.2", .host_port = 8080, .ctr_port = 81};
    rl_net_port_t z = {.host_ip = "", .host_port = 0, .ctr_port = 81};
    assert_true(rl_net_port_same_host(&a, &b));
    assert_false(rl_net_port_same_host(&b, &c));
    assert_false(rl_net_port_same_host(&b, &d));
    assert_false(rl_net_port_same_host(&z, &z));
}

static void ports_resolve_and_summary(void **state)
{
    (void)state;
    rl_net_ports_t ps = {0};
    rl_error_t err = RL_ERROR_INIT;
    char *publish[] = {"8000-8002:8000-8002", "127.0.0.1::53/udp", "[::1]:9000:90", NULL};
    char *expose[] = {"8001", "7000/udp", NULL};
    char *image[] = {"8080/tcp", "53/udp", NULL};
    /* without -P, --expose is checked but not published */
    assert_int_equal(rl_net_ports_resolve(&ps, publish, expose, image, false, &err), 0);
    assert_int_equal(ps.n, 5);
    rl_net_ports_clear(&ps);
    /* -P: 7000/udp and 8080/tcp; 8001 and 53/udp are published already */
    assert_int_equal(rl_net_ports_resolve(&ps, publish, expose, image, true, &err), 0);
    assert_int_equal(ps.n, 7);
    assert_int_equal(ps.v[5].ctr_port, 7000);
    assert_true(ps.v[5].udp);
    assert_int_equal(ps.v[5].host_port, 0);
    assert_int_equal(ps.v[6].ctr_port, 8080);
    ps.v[3].host_port = 40000; /* as bound */
    char *sum = rl_net_ports_summary(&ps);
    assert_string_equal(sum, "0.0.0.0:8000-8002->8000-8002/tcp, 127.0.0.1:40000->53/udp, "
                             "[::1]:9000->90/tcp");
    free(sum);
    /* the record's form reads back; malformed entries are skipped */
    char *rec[] = {":8000:8000/tcp", "[::1]:9000:90/tcp",  "garbage",
                   "1:2:3:4",        "127.0.0.1:0:53/udp", NULL};
    rl_net_ports_t back = {0};
    rl_net_ports_from_strv(&back, rec);
    assert_int_equal(back.n, 3);
    assert_string_equal(back.v[1].host_ip, "::1");
    assert_int_equal(back.v[2].host_port, 0);
    rl_net_ports_clear(&back);
    rl_net_ports_clear(&ps);
    char *twice[] = {"8080:80", "127.0.0.1:8080:81", NULL};
    assert_error(rl_net_ports_resolve(&ps, twice, NULL, NULL, false, &err), &err,
                 "published twice");
    rl_net_ports_clear(&ps);
    char *bad_expose[] = {"80:80", NULL};
    assert_error(rl_net_ports_resolve(&ps, NULL, bad_expose, NULL, false, &err), &err, "expose");
    rl_net_ports_clear(&ps);
    char *bad_image[] = {"http", NULL};
    assert_error(rl_net_ports_resolve(&ps, NULL, NULL, bad_image, true, &err), &err, "not a port");
    rl_net_ports_clear(&ps);
}

/* A query for name (dotted) of qtype, as a resolver sends it. */
static size_t make_query(uint8_t *b, const char *name, uint16_t qtype)
{
    uint8_t head[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(b, head, 12);
    size_t o = 12;
    for (const char *p = name; *p;) {
        size_t l = strcspn(p, ".");
        b[o++] = (uint8_t)l;
        memcpy(b + o, p, l), o += l, p += l;
        if (*p == '.') p++;
    }
    b[o++] = 0;
    b[o++] = (uint8_t)(qtype >> 8), b[o++] = (uint8_t)qtype, b[o++] = 0, b[o++] = 1;
    return o;
}

static void dns_query_and_answer(void **state)
{
    (void)state;
    uint8_t q[300], out[512];
    rl_net_dns_query_t dq;
    size_t n = make_query(q, "db.example", RL_DNS_A);
    assert_int_equal(rl_net_dns_parse_query(q, n, &dq), 0);
    assert_string_equal(dq.name, "db.example");
    assert_int_equal(dq.qtype, RL_DNS_A);
    assert_int_equal(dq.qend, n);
    rl_net_dns_addr_t a[2] = {{.v6 = false, .a = {192, 0, 2, 9}}, {.v6 = true, .a = {0xfd}}};
    size_t m = rl_net_dns_build_answer(q, &dq, RL_DNS_NOERROR, a, 2, out, sizeof out);
    assert_int_equal(m, n + 16); /* one A record; the AAAA one is not of this type */
    assert_int_equal(out[0], 0x12);
    assert_int_equal(out[2] & 0x80, 0x80); /* an answer */
    assert_int_equal(out[3] & 0x0f, 0);    /* NOERROR */
    assert_int_equal(out[7], 1);           /* ANCOUNT */
    assert_memory_equal(out + m - 4, a[0].a, 4);
    m = rl_net_dns_build_answer(q, &dq, RL_DNS_NXDOMAIN, a, 2, out, sizeof out);
    assert_int_equal(m, n);
    assert_int_equal(out[3] & 0x0f, 3);
    assert_int_equal(rl_net_dns_build_answer(q, &dq, 0, a, 2, out, 10), 0); /* no room */
    /* hostile or not ours: each refused */
    uint8_t bad[300];
    struct {
        const char *name;
        size_t cut;
        int flip;
        uint8_t at, val;
    } cases[] = {
        {"short", 11, 0, 0, 0},          /* shorter than a header */
        {"qr.example", 0, 1, 2, 0x81},   /* a response, not a query */
        {"op.example", 0, 1, 2, 0x29},   /* opcode 5 (update) */
        {"two.example", 0, 1, 5, 2},     /* two questions */
        {"an.example", 0, 1, 7, 1},      /* answers in a query */
        {"ptr.example", 0, 1, 12, 0xc0}, /* a compression pointer */
        {"long", 0, 1, 12, 64},          /* a label over 63 */
        {"nul.example", 0, 1, 13, 0},    /* a NUL inside a label */
        {"dot.example", 0, 1, 14, '.'},  /* a dot inside a label */
        {"trunc.example", 5, 0, 0, 0},   /* cut inside the question */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = make_query(bad, cases[i].name, RL_DNS_A);
        if (cases[i].cut) len = cases[i].cut < 12 ? cases[i].cut : len - cases[i].cut;
        if (cases[i].flip) bad[cases[i].at] = cases[i].val;
        if (rl_net_dns_parse_query(bad, len, &dq) == 0)
            fail_msg("case '%s' was accepted", cases[i].name);
    }
    /* 253 characters as text is the most a name may have */
    char longest[260];
    memset(longest, 'a', 253), longest[253] = '\0';
    for (int i = 63; i < 253; i += 64)
        longest[i] = '.';
    n = make_query(bad, longest, RL_DNS_A);
    assert_int_equal(rl_net_dns_parse_query(bad, n, &dq), 0);
    assert_int_equal(strlen(dq.name), 253);
    strcat(longest, "b");
    n = make_query(bad, longest, RL_DNS_A);
    assert_int_equal(rl_net_dns_parse_query(bad, n, &dq), -1);
    /* class CH, and the root name */
    n = make_query(bad, "x.example", RL_DNS_A);
    bad[n - 1] = 3;
    assert_int_equal(rl_net_dns_parse_query(bad, n, &dq), -1);
    uint8_t root[17] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
    assert_int_equal(rl_net_dns_parse_query(root, sizeof root, &dq), -1);
}

static void dns_frames(void **state)
{
    (void)state;
    uint8_t f[128] = {0};
    size_t qlen;
    f[12] = 0x08, f[13] = 0x00;
    uint8_t *ip = f + 14;
    ip[0] = 0x45, ip[3] = 20 + 8 + 20, ip[9] = 17;
    ip[12] = 10, ip[13] = 0, ip[14] = 2, ip[15] = 100;
    ip[16] = 10, ip[17] = 0, ip[18] = 2, ip[19] = 3;
    uint8_t *udp = ip + 20;
    udp[0] = 0x9c, udp[1] = 0x40, udp[3] = 53, udp[5] = 8 + 20;
    const uint8_t *p = rl_net_dns_frame_query(f, 14 + 48, &qlen);
    assert_ptr_equal(p, udp + 8);
    assert_int_equal(qlen, 20);
    assert_null(rl_net_dns_frame_query(f, 14 + 40, &qlen)); /* shorter than it says */
    udp[3] = 54;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* another port */
    udp[3] = 53, ip[19] = 2;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* another address */
    ip[19] = 3, ip[6] = 0x20;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* a fragment */
    ip[6] = 0, udp[5] = 200;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* UDP longer than IP */
    udp[5] = 28, ip[0] = 0x44;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* header under 20 */
    ip[0] = 0x45, f[12] = 0x86, f[13] = 0xdd;
    assert_null(rl_net_dns_frame_query(f, 14 + 48, &qlen)); /* IPv6: slirp's */
}

static void netmode_values(void **state)
{
    (void)state;
    rl_net_mode_t m;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_net_mode_parse(NULL, &m, &err), 0);
    assert_int_equal(m.kind, RL_NET_SLIRP);
    assert_int_equal(m.mtu, 65520);
    assert_false(m.allow_host_loopback);
    assert_int_equal(
        rl_net_mode_parse("slirp4netns:allow_host_loopback=true,enable_ipv6=true,mtu=1500", &m,
                          &err),
        0);
    assert_true(m.allow_host_loopback && m.enable_ipv6);
    assert_int_equal(m.mtu, 1500);
    assert_int_equal(rl_net_mode_parse("none", &m, &err), 0);
    assert_int_equal(m.kind, RL_NET_NONE);
    assert_int_equal(rl_net_mode_parse("host", &m, &err), 0);
    assert_int_equal(m.kind, RL_NET_HOST);
    assert_int_equal(rl_net_mode_parse("container:web", &m, &err), 0);
    assert_string_equal(m.container, "web");
    /* podman's default network for a rootless user: rl's slirp */
    assert_int_equal(rl_net_mode_parse("bridge", &m, &err), 0);
    assert_int_equal(m.kind, RL_NET_SLIRP);
    assert_error(rl_net_mode_parse("brídge", &m, &err), &err, "unknown mode");
    assert_int_equal(rl_net_mode_parse("slirp:", &m, &err), 0); /* no options */
    assert_error(rl_net_mode_parse("slirpx:mtu=1500", &m, &err), &err, "unknown mode");
    assert_error(rl_net_mode_parse("slirp:mtu", &m, &err), &err, "not OPTION=VALUE");
    assert_error(rl_net_mode_parse("slirp:mtu=1279", &m, &err), &err, "mtu goes from 1280");
    assert_error(rl_net_mode_parse("slirp:mtu=-1", &m, &err), &err, "mtu goes from 1280");
    assert_error(rl_net_mode_parse("slirp:mtu=", &m, &err), &err, "mtu goes from 1280");
    assert_error(rl_net_mode_parse("slirp:enable_ipv6=1", &m, &err), &err, "true or false");
    assert_error(rl_net_mode_parse("slirp:port_handler=x", &m, &err), &err,
                 "port_handler is rootlesskit or slirp4netns");
    assert_int_equal(rl_net_mode_parse("slirp4netns:port_handler=slirp4netns,mtu=1500", &m, &err),
                     0);
    assert_int_equal(m.mtu, 1500);
    assert_int_equal(rl_net_mode_parse("slirp4netns:port_handler=rootlesskit", &m, &err), 0);
    assert_int_equal(rl_net_mode_parse("slirp4netns:cidr=10.1.2.0/24", &m, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_UNSUPPORTED));
    assert_error(-1, &err, "cidr is not supported yet");
    assert_error(rl_net_mode_parse("slirp:bogus=1", &m, &err), &err, "unknown slirp option");
    assert_error(rl_net_mode_parse("container:", &m, &err), &err, "name the container");
}

static void etc_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/rl-net-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char resolv[64];
    snprintf(resolv, sizeof resolv, "%s/resolv.conf", dir);
    FILE *f = fopen(resolv, "w");
    fputs("search corp.example\nnameserver 127.0.0.53\nnameserver 192.0.2.1\noptions edns0\n", f);
    fclose(f);
    rl_net_mode_t slirp, none;
    rl_error_t err = RL_ERROR_INIT;
    rl_net_mode_parse(NULL, &slirp, &err);
    rl_net_mode_parse("none", &none, &err);
    rl_net_etc_opts_t o = {.net = &slirp,
                           .hostname = "h1",
                           .name = "web",
                           .host_resolv = resolv,
                           .host_ip = "192.0.2.2"};
    char *r = rl_net_etc_resolv_conf(&o);
    assert_string_equal(r, "search corp.example\nnameserver 10.0.2.3\noptions edns0\n");
    free(r);
    o.net = &none; /* the host's, without its loopback resolver */
    r = rl_net_etc_resolv_conf(&o);
    assert_string_equal(r, "search corp.example\nnameserver 192.0.2.1\noptions edns0\n");
    free(r);
    char *hosts = rl_net_etc_hosts(&o);
    assert_non_null(strstr(hosts, "127.0.1.1\th1\n"));
    free(hosts);
    o.net = &slirp;
    char *add[] = {"db:192.0.2.9", "gw:host-gateway", NULL};
    o.add_hosts = add;
    hosts = rl_net_etc_hosts(&o);
    assert_non_null(strstr(hosts, "192.0.2.9\tdb\n192.0.2.2\tgw\n10.0.2.100\th1 web\n"));
    assert_non_null(strstr(hosts, "192.0.2.2\thost.containers.internal"));
    free(hosts);
    assert_int_equal(rl_net_etc_check(&o, &err), 0);
    char *bad_dns[] = {"10.0.2", NULL}, *bad_host[] = {"x:y", NULL}, *bad_opt[] = {"a b", NULL};
    rl_net_etc_opts_t b = o;
    b.dns = bad_dns;
    assert_error(rl_net_etc_check(&b, &err), &err, "--dns '10.0.2'");
    b = o, b.add_hosts = bad_host;
    assert_error(rl_net_etc_check(&b, &err), &err, "--add-host 'x:y'");
    b = o, b.dns_opts = bad_opt;
    assert_error(rl_net_etc_check(&b, &err), &err, "--dns-option 'a b'");
    unlink(resolv);
    rmdir(dir);
}

static size_t syn_packet(uint8_t *p, uint8_t ihl_words, const char *src, const char *dst)
{
    memset(p, 0, 80);
    p[0] = (uint8_t)(0x40 | ihl_words);
    size_t ihl = (size_t)ihl_words * 4, total = ihl + 20;
    p[2] = (uint8_t)(total >> 8), p[3] = (uint8_t)total;
    p[6] = 0x40; /* DF: not a fragment */
    p[9] = 6;
    inet_pton(AF_INET, src, p + 12);
    inet_pton(AF_INET, dst, p + 16);
    p[ihl] = 0x9c, p[ihl + 1] = 0x40;     /* 40000 */
    p[ihl + 2] = 0x14, p[ihl + 3] = 0x51; /* 5201 */
    p[ihl + 13] = 0x02;
    return total;
}

static void syn_headers(void **state)
{
    (void)state;
    uint8_t p[80];
    rl_net_tcp4_t t;
    char a[INET_ADDRSTRLEN];
    size_t n = syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    assert_int_equal(rl_net_syn_parse(p, n, &t), 0);
    assert_string_equal(inet_ntop(AF_INET, &t.src, a, sizeof a), "10.0.2.100");
    assert_string_equal(inet_ntop(AF_INET, &t.dst, a, sizeof a), "192.0.2.7");
    assert_int_equal(t.sport, 40000);
    assert_int_equal(t.dport, 5201);
    /* IP options move the TCP header; the ports are found past them */
    n = syn_packet(p, 7, "10.0.2.100", "192.0.2.7");
    assert_int_equal(rl_net_syn_parse(p, n, &t), 0);
    assert_int_equal(t.dport, 5201);
    /* only the ports need to be there (the queue may copy less) */
    assert_int_equal(rl_net_syn_parse(p, 28 + 4, &t), 0);
    /* hostile: short, not IPv4, IHL too small or past the end, not TCP,
     * a later fragment, a total length shorter than the headers, port 0 */
    size_t base = syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    assert_int_equal(rl_net_syn_parse(p, 0, &t), -1);
    assert_int_equal(rl_net_syn_parse(p, 19, &t), -1);
    assert_int_equal(rl_net_syn_parse(p, 23, &t), -1);
    p[0] = 0x65;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    p[0] = 0x44;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    p[0] = 0x4f; /* 60 bytes of header, the packet is 40 */
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    p[9] = 17;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    p[7] = 0x10;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    p[3] = 30;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
    syn_packet(p, 5, "10.0.2.100", "192.0.2.7");
    p[22] = p[23] = 0;
    assert_int_equal(rl_net_syn_parse(p, base, &t), -1);
}

static void outbound_destinations(void **state)
{
    (void)state;
    const char *ok[] = {"192.0.2.7", "8.8.8.8", "10.0.3.1", "10.0.1.255", "223.255.255.254"};
    const char *bad[] = {"127.0.0.1", "127.255.0.9", "0.0.0.0",   "0.1.2.3",
                         "10.0.2.2",  "10.0.2.3",    "224.0.0.1", "255.255.255.255"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct in_addr a;
        inet_pton(AF_INET, ok[i], &a);
        assert_true(rl_net_outbound_dst_ok(a));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct in_addr a;
        inet_pton(AF_INET, bad[i], &a);
        assert_false(rl_net_outbound_dst_ok(a));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ports_good),
        cmocka_unit_test(ports_bad),
        cmocka_unit_test(ports_exposed_and_clashes),
        cmocka_unit_test(ports_resolve_and_summary),
        cmocka_unit_test(dns_query_and_answer),
        cmocka_unit_test(dns_frames),
        cmocka_unit_test(netmode_values),
        cmocka_unit_test(etc_files),
        cmocka_unit_test(syn_headers),
        cmocka_unit_test(outbound_destinations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
