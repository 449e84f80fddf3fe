/* SPDX-License-Identifier: Apache-2.0 */
/* Subordinate id ranges through libsubid, so ranges served by NSS plugins
 * (LDAP, SSSD) work as well as /etc/subuid and /etc/subgid. */
#ifndef RL_ROOTLESS_SUBID_H
#define RL_ROOTLESS_SUBID_H

#include <stddef.h>
#include <sys/types.h>

#include "pkg/util/error.h"

typedef struct rl_subid_range {
    unsigned long start;
    unsigned long count;
} rl_subid_range_t;

/* Ranges of the user with this uid; *n = 0 when the user has none. */
int rl_subid_ranges(uid_t uid, int gids, rl_subid_range_t **ranges, size_t *n, rl_error_t *err);

#endif
