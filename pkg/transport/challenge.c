/* SPDX-License-Identifier: Apache-2.0 */
/* WWW-Authenticate parsing (see challenge.h). */
#include "challenge.h"

#include <ctype.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/strbuf.h"

/* key=value or key="quoted \" value"; returns the position after it. */
static const char *param(const char *p, char **key, char **val)
{
    const char *k = p;
    while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
        p++;
    *key = xstrndup(k, (size_t)(p - k));
    while (*p == ' ')
        p++;
    if (*p != '=') return NULL;
    p++;
    while (*p == ' ')
        p++;
    rl_strbuf_t v = {0};
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1]) p++;
            rl_strbuf_putc(&v, *p);
        }
        if (*p != '"') return rl_strbuf_free(&v), NULL;
        p++;
    } else {
        while (*p && *p != ',' && *p != ' ')
            rl_strbuf_putc(&v, *p++);
    }
    *val = rl_strbuf_steal(&v);
    return p;
}

int rl_challenge_parse(const char *header, rl_challenge_t *c, rl_error_t *err)
{
    memset(c, 0, sizeof *c);
    const char *p = header;
    while (*p == ' ')
        p++;
    const char *s = p;
    while (*p && *p != ' ')
        p++;
    if (p == s) return rl_error_set(err, 0, "registry sent an empty WWW-Authenticate header");
    c->scheme = xstrndup(s, (size_t)(p - s));
    for (char *q = c->scheme; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p) break;
        char *key = NULL, *val = NULL;
        p = param(p, &key, &val);
        if (!p) {
            free(key);
            rl_challenge_clear(c);
            return rl_error_set(err, 0, "registry sent a malformed WWW-Authenticate header");
        }
        char **slot = !strcasecmp(key, "realm")     ? &c->realm
                      : !strcasecmp(key, "service") ? &c->service
                      : !strcasecmp(key, "scope")   ? &c->scope
                                                    : NULL;
        if (slot && !*slot) *slot = rl_steal_ptr(&val);
        free(key), free(val);
    }
    if (!strcmp(c->scheme, "bearer") && (!c->realm || !*c->realm)) {
        rl_challenge_clear(c);
        return rl_error_set(err, 0, "registry asked for a bearer token but named no realm");
    }
    return 0;
}

void rl_challenge_clear(rl_challenge_t *c)
{
    free(c->scheme), free(c->realm), free(c->service), free(c->scope);
    memset(c, 0, sizeof *c);
}
