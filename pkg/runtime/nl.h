/* SPDX-License-Identifier: Apache-2.0 */
/* Netlink from the container's setup: a socket, and a request (or a batch)
 * sent with the kernel's acks awaited. The callers build the messages
 * (libmnl for links, addresses and routes in netdev.c, libnftnl for rules
 * in outbound.c); this is the part they share. */
#ifndef RL_RUNTIME_NL_H
#define RL_RUNTIME_NL_H

#include <stddef.h>
#include <stdint.h>

#include "pkg/util/error.h"

/* A bound NETLINK_<protocol> socket (close-on-exec); -1 with err. */
int rl_nl_open(int protocol, rl_error_t *err);
/* Send req and read acks until the one for last_seq; the first error the
 * kernel reports is ours, as "what: reason". */
int rl_nl_talk(int fd, const void *req, size_t len, uint32_t last_seq, const char *what,
               rl_error_t *err);

#endif
