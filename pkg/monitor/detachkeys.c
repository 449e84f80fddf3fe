/* SPDX-License-Identifier: Apache-2.0 */
#include "detachkeys.h"

#include <string.h>

/* "ctrl-X": X a letter or one of @[\]^_ (codes 0, 27..31); else one plain
 * character. */
static int key(const char *k, size_t len, unsigned char *out)
{
    static const char sym[] = "@[\\]^_";
    if (len == 1) return *out = (unsigned char)k[0], 0;
    if (len != 6 || strncmp(k, "ctrl-", 5)) return -1;
    char c = k[5];
    const char *p = strchr(sym, c);
    if (c >= 'a' && c <= 'z')
        *out = (unsigned char)(c - 'a' + 1);
    else if (c >= 'A' && c <= 'Z')
        *out = (unsigned char)(c - 'A' + 1);
    else if (c && p)
        *out = (unsigned char)(p == sym ? 0 : 26 + (p - sym));
    else
        return -1;
    return 0;
}

int rl_mon_detach_keys_parse(const char *s, rl_mon_detach_keys_t *k, rl_error_t *err)
{
    memset(k, 0, sizeof *k);
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ",");
        if (k->len == RL_DETACH_KEYS_MAX)
            return rl_error_set(err, 0, "--detach-keys '%s': at most %d keys", s,
                                RL_DETACH_KEYS_MAX);
        if (key(p, len, &k->seq[k->len]) < 0)
            return rl_error_set(err, 0,
                                "--detach-keys '%s': '%.*s' is not a key (use ctrl-<letter> "
                                "or one character, comma-separated, e.g. ctrl-p,ctrl-q)",
                                s, (int)len, p);
        k->len++;
        p += len;
        if (*p == ',' && !*++p)
            return rl_error_set(err, 0, "--detach-keys '%s': a key is missing after ','", s);
    }
    return 0;
}

bool rl_mon_detach_keys_feed(rl_mon_detach_keys_t *k, const unsigned char *buf, size_t n,
                             unsigned char *out, size_t *out_n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (k->len && buf[i] == k->seq[k->matched]) {
            if (++k->matched == k->len) {
                k->matched = 0;
                *out_n = o;
                return true;
            }
            continue;
        }
        /* the held-back prefix was ordinary input after all */
        memcpy(out + o, k->seq, k->matched);
        o += k->matched;
        k->matched = 0;
        if (k->len && buf[i] == k->seq[0]) { /* (len >= 2 here) */
            k->matched = 1;
            continue;
        }
        out[o++] = buf[i];
    }
    *out_n = o;
    return false;
}
