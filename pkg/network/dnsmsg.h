/* SPDX-License-Identifier: Apache-2.0 */
/* DNS messages for the monitor's DNS answerer (dnsproxy.h): a query's one
 * question read, and an answer built for it. Queries come from the
 * container, so untrusted: anything but a plain one-question query is
 * refused (and left to slirp's raw forwarder). */
#ifndef RL_NETWORK_DNSMSG_H
#define RL_NETWORK_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { RL_DNS_A = 1, RL_DNS_AAAA = 28 };
enum { RL_DNS_NOERROR = 0, RL_DNS_SERVFAIL = 2, RL_DNS_NXDOMAIN = 3 };

typedef struct rl_net_dns_query {
    uint16_t id, flags;
    char name[256]; /* dotted, without the final dot */
    uint16_t qtype; /* A, AAAA, or another (then not ours to answer) */
    size_t qend;    /* the question ends here: copied into the answer */
} rl_net_dns_query_t;

typedef struct rl_net_dns_addr {
    bool v6;
    uint8_t a[16];
} rl_net_dns_addr_t;

/* 0, or -1 for anything but a standard query with one IN question. */
int rl_net_dns_parse_query(const uint8_t *msg, size_t len, rl_net_dns_query_t *q);
/* The answer to q (msg: the query it came in), with rcode and the
 * addresses of q's type; its length, or 0 when out is too small. */
size_t rl_net_dns_build_answer(const uint8_t *msg, const rl_net_dns_query_t *q, int rcode,
                               const rl_net_dns_addr_t *addrs, size_t n, uint8_t *out, size_t size);

#endif
