/* SPDX-License-Identifier: Apache-2.0 */
/* WWW-Authenticate challenges: `Bearer realm="...",service="...",scope="..."`
 * or `Basic realm="..."`. Untrusted (a registry sends it): bounded parsing. */
#ifndef RL_IMAGE_CHALLENGE_H
#define RL_IMAGE_CHALLENGE_H

#include "pkg/util/error.h"

typedef struct rl_challenge {
    char *scheme; /* "bearer" or "basic", lowercased */
    char *realm, *service, *scope;
} rl_challenge_t;

int rl_challenge_parse(const char *header, rl_challenge_t *c, rl_error_t *err);
void rl_challenge_clear(rl_challenge_t *c);

#endif
