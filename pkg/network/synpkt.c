/* SPDX-License-Identifier: Apache-2.0 */
#include "synpkt.h"

#include <arpa/inet.h>
#include <string.h>

int rl_net_syn_parse(const uint8_t *p, size_t len, rl_net_tcp4_t *out)
{
    if (len < 20 || (p[0] >> 4) != 4) return -1;
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    size_t total = (size_t)p[2] << 8 | p[3];
    unsigned frag = ((unsigned)p[6] << 8 | p[7]) & 0x1fff; /* offset; not the flags */
    if (ihl < 20 || total < ihl + 20 || ihl + 4 > len || p[9] != IPPROTO_TCP || frag) return -1;
    memcpy(&out->src, p + 12, 4);
    memcpy(&out->dst, p + 16, 4);
    out->sport = (uint16_t)(p[ihl] << 8 | p[ihl + 1]);
    out->dport = (uint16_t)(p[ihl + 2] << 8 | p[ihl + 3]);
    return out->sport && out->dport ? 0 : -1;
}

bool rl_net_outbound_dst_ok(struct in_addr dst)
{
    uint32_t a = ntohl(dst.s_addr);
    uint8_t top = (uint8_t)(a >> 24);
    return top != 0 && top != 127 && top < 224 && (a & 0xffffff00u) != 0x0a000200u;
}
