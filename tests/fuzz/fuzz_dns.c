/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: frames from the container as the DNS answerer sees them (the
 * frame filter, then the query parser), and an answer built for whatever
 * parsed. The input is a whole Ethernet frame. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/network/dnsmsg.h"
#include "pkg/network/dnsproxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t qlen = 0;
    const uint8_t *q = rl_net_dns_frame_query(data, size, &qlen);
    if (q && (q < data || q + qlen > data + size)) abort(); /* outside the frame */
    /* the whole input as a message too, for the parser's sake */
    const uint8_t *msgs[2] = {q, data};
    size_t lens[2] = {qlen, size};
    for (int i = 0; i < 2; i++) {
        rl_net_dns_query_t dq;
        if (!msgs[i] || rl_net_dns_parse_query(msgs[i], lens[i], &dq) < 0) continue;
        if (dq.qend > lens[i] || strlen(dq.name) > 253) abort();
        rl_net_dns_addr_t a[3] = {{false, {1, 2, 3, 4}}, {true, {0xfd}}, {false, {5, 6, 7, 8}}};
        uint8_t out[512];
        size_t n = rl_net_dns_build_answer(msgs[i], &dq, RL_DNS_NOERROR, a, 3, out, sizeof out);
        if (n > sizeof out) abort();
    }
    return 0;
}
