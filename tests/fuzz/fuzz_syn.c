/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: SYN headers from a container's nfqueue (pkg/network/synpkt.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkg/network/synpkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_net_tcp4_t t;
    if (rl_net_syn_parse(data, size, &t) < 0) return 0;
    /* what it accepted is an IPv4 TCP header with its ports inside */
    if (size < 24 || (data[0] >> 4) != 4 || data[9] != 6 || (size_t)(data[0] & 15) * 4 + 4 > size)
        abort();
    if (!t.sport || !t.dport) abort();
    return 0;
}
