/* SPDX-License-Identifier: Apache-2.0 */
/* --detach-keys: the key sequence that leaves an attached terminal
 * (podman's syntax: "ctrl-p,ctrl-q", single characters, "" for none). */
#ifndef RL_MONITOR_DETACHKEYS_H
#define RL_MONITOR_DETACHKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "pkg/util/error.h"

#define RL_DETACH_KEYS_DEFAULT "ctrl-p,ctrl-q"
#define RL_DETACH_KEYS_MAX     16

typedef struct rl_mon_detach_keys {
    unsigned char seq[RL_DETACH_KEYS_MAX];
    size_t len;     /* 0: detaching is off */
    size_t matched; /* how much of seq the input has matched so far */
} rl_mon_detach_keys_t;

int rl_mon_detach_keys_parse(const char *s, rl_mon_detach_keys_t *k, rl_error_t *err);

/* Run input through the matcher: the bytes to pass on are written to out
 * (room for n + RL_DETACH_KEYS_MAX), their count in *out_n. A prefix of
 * the sequence is held back until the next byte decides. Returns true
 * when the whole sequence was typed (the rest of buf is dropped). */
bool rl_mon_detach_keys_feed(rl_mon_detach_keys_t *k, const unsigned char *buf, size_t n,
                             unsigned char *out, size_t *out_n);

#endif
