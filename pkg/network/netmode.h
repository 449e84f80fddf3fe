/* SPDX-License-Identifier: Apache-2.0 */
/* --network: slirp[:opt=val,...] (the default), none, host, container:NAME.
 * A user's flag and a stored record: malformed values are one clear error. */
#ifndef RL_NETWORK_NETMODE_H
#define RL_NETWORK_NETMODE_H

#include <stdbool.h>

#include "pkg/util/error.h"

typedef enum { RL_NET_SLIRP, RL_NET_NONE, RL_NET_HOST, RL_NET_CONTAINER } rl_net_kind_t;

typedef struct rl_net_mode {
    rl_net_kind_t kind;
    char container[256]; /* container:NAME */
    /* slirp's options, as slirp4netns names them */
    bool allow_host_loopback;
    bool enable_ipv6;
    unsigned mtu; /* 65520 unless given */
} rl_net_mode_t;

/* NULL or "" is the default, slirp. */
int rl_net_mode_parse(const char *spec, rl_net_mode_t *m, rl_error_t *err);
/* The mode in the words rl_net_mode_parse reads back; NULL for the
 * default slirp (a record leaves it out). Caller frees. */
char *rl_net_mode_format(const rl_net_mode_t *m);

#endif
