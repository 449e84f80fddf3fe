/* SPDX-License-Identifier: Apache-2.0 */
#include "dnsmsg.h"

#include <string.h>

#define TTL 60 /* what the host resolved may change; not cached for long */

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

/* The question's name: labels of 1..63 letters, digits, '-' or '_',
 * no compression; 0 or -1. */
static int read_name(const uint8_t *msg, size_t len, size_t *off, char name[256])
{
    size_t o = *off, out = 0;
    for (;;) {
        if (o >= len) return -1;
        uint8_t l = msg[o++];
        if (l == 0) break;
        /* a name is at most 253 characters as text */
        if (l > 63 || o + l > len || out + (out ? 1 : 0) + l > 253) return -1;
        for (size_t i = 0; i < l; i++) {
            uint8_t c = msg[o + i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
            if (!ok) return -1;
        }
        if (out) name[out++] = '.';
        memcpy(name + out, msg + o, l);
        out += l, o += l;
    }
    if (out == 0) return -1; /* the root: not a host */
    name[out] = '\0';
    *off = o;
    return 0;
}

int rl_net_dns_parse_query(const uint8_t *msg, size_t len, rl_net_dns_query_t *q)
{
    memset(q, 0, sizeof *q);
    if (len < 12 || len > 512 + 1024) return -1;
    q->id = get16(msg);
    q->flags = get16(msg + 2);
    /* a query (QR 0), standard (opcode 0), exactly one question */
    if ((q->flags & 0x8000) || (q->flags & 0x7800) || get16(msg + 4) != 1 || get16(msg + 6) ||
        get16(msg + 8))
        return -1;
    size_t off = 12;
    if (read_name(msg, len, &off, q->name) < 0 || off + 4 > len) return -1;
    q->qtype = get16(msg + off);
    if (get16(msg + off + 2) != 1) return -1; /* class IN */
    q->qend = off + 4;
    return 0;
}

size_t rl_net_dns_build_answer(const uint8_t *msg, const rl_net_dns_query_t *q, int rcode,
                               const rl_net_dns_addr_t *addrs, size_t n, uint8_t *out, size_t size)
{
    if (q->qend > size) return 0;
    memcpy(out, msg, q->qend);
    /* QR, the query's RD, RA; no additional records (its EDNS is dropped) */
    put16(out + 2, (uint16_t)(0x8080 | (q->flags & 0x0100) | (rcode & 0xf)));
    put16(out + 8, 0), put16(out + 10, 0);
    size_t o = q->qend, count = 0;
    for (size_t i = 0; i < n && rcode == RL_DNS_NOERROR; i++) {
        bool v6 = q->qtype == RL_DNS_AAAA;
        size_t alen = v6 ? 16 : 4;
        if (addrs[i].v6 != v6) continue;
        if (o + 12 + alen > size || o + 12 + alen > 512) break; /* UDP's classic limit */
        put16(out + o, 0xc00c);                                 /* the question's name */
        put16(out + o + 2, q->qtype);
        put16(out + o + 4, 1);
        put16(out + o + 6, 0), put16(out + o + 8, TTL);
        put16(out + o + 10, (uint16_t)alen);
        memcpy(out + o + 12, addrs[i].a, alen);
        o += 12 + alen, count++;
    }
    put16(out + 6, (uint16_t)count);
    return o;
}
