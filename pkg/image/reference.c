/* SPDX-License-Identifier: Apache-2.0 */
/* Reference grammar and normalisation (see reference.h); the grammar is
 * docker/distribution's, written out by hand as small checks. */
#include "reference.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/digest.h"
#include "pkg/util/xalloc.h"

#define NAME_MAX_LEN 255

static bool alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A path component: [a-z0-9]+ joined by ".", "_", "__" or any run of "-". */
static bool valid_component(const char *s, size_t n)
{
    if (n == 0 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1])) return false;
    for (size_t i = 0; i < n; i++) {
        if (alnum_lower(s[i])) continue;
        if (s[i] == '.' || s[i] == '_') {
            size_t run = 1;
            while (i + run < n && s[i + run] == s[i])
                run++;
            if ((s[i] == '.' && run > 1) || (s[i] == '_' && run > 2)) return false;
            if (!alnum_lower(s[i + run])) return false;
            i += run - 1;
        } else if (s[i] != '-') {
            return false;
        }
    }
    return true;
}

/* host[:port], host = dns labels or [ipv6]. */
static bool valid_domain(const char *s, size_t n)
{
    const char *colon = NULL;
    size_t hostlen = n;
    if (n > 0 && s[0] == '[') {
        const char *end = memchr(s, ']', n);
        if (!end) return false;
        for (const char *p = s + 1; p < end; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':') return false;
        hostlen = (size_t)(end - s) + 1;
        if (hostlen < n && s[hostlen] != ':') return false;
    } else {
        colon = memchr(s, ':', n);
        if (colon) hostlen = (size_t)(colon - s);
        if (hostlen == 0) return false;
        for (size_t i = 0; i < hostlen; i++) {
            char c = s[i];
            if (!isalnum((unsigned char)c) && c != '-' && c != '.') return false;
            if (c == '-' && (i == 0 || s[i - 1] == '.')) return false;
            if (c == '.' && (i == 0 || i == hostlen - 1 || s[i - 1] == '.')) return false;
        }
    }
    if (hostlen < n) {
        const char *port = s + hostlen + 1;
        size_t plen = n - hostlen - 1;
        if (plen == 0 || plen > 5) return false;
        for (size_t i = 0; i < plen; i++)
            if (!isdigit((unsigned char)port[i])) return false;
    }
    return true;
}

static bool valid_tag(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > 128) return false;
    if (!isalnum((unsigned char)t[0]) && t[0] != '_') return false;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '.' && t[i] != '-')
            return false;
    return true;
}

/* The first component is a registry when it has a "." or ":" or is localhost. */
static bool looks_like_domain(const char *s, size_t n)
{
    return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !memcmp(s, "localhost", 9)) ||
           (n > 0 && s[0] == '[');
}

static int split_name(const char *text, const char *name, rl_ref_t *ref, rl_error_t *err)
{
    const char *slash = strchr(name, '/');
    const char *path = name;
    if (slash && looks_like_domain(name, (size_t)(slash - name))) {
        if (!valid_domain(name, (size_t)(slash - name)))
            return rl_error_set(err, 0, "invalid reference '%s': bad registry '%.*s'", text,
                                (int)(slash - name), name);
        ref->domain = xstrndup(name, (size_t)(slash - name));
        path = slash + 1;
    }
    for (const char *c = path;;) {
        const char *end = strchr(c, '/');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (!valid_component(c, n)) {
            for (size_t i = 0; i < n; i++)
                if (isupper((unsigned char)c[i]))
                    return rl_error_set(err, 0,
                                        "invalid reference '%s': repository name must be "
                                        "lowercase",
                                        text);
            return rl_error_set(err, 0, "invalid reference '%s': bad name component '%.*s'", text,
                                (int)n, c);
        }
        if (!end) break;
        c = end + 1;
    }
    ref->path = xstrdup(path);
    return 0;
}

static int parse(const char *text, rl_ref_t *ref, rl_error_t *err)
{
    memset(ref, 0, sizeof *ref);
    if (!*text) return rl_error_set(err, 0, "invalid reference '': empty image name");
    rl_autofree char *s = xstrdup(text);
    char *at = strchr(s, '@');
    if (at) {
        *at = 0;
        if (rl_digest_validate(at + 1, err) < 0)
            return rl_error_wrap(err, "invalid reference '%s'", text);
        ref->digest = xstrdup(at + 1);
    }
    /* A ":" after the last "/" starts the tag (before it: a port). */
    char *slash = strrchr(s, '/');
    char *colon = strrchr(slash ? slash : s, ':');
    if (colon) {
        *colon = 0;
        if (!valid_tag(colon + 1)) {
            rl_ref_free(ref);
            return rl_error_set(err, 0, "invalid reference '%s': bad tag '%s'", text, colon + 1);
        }
        ref->tag = xstrdup(colon + 1);
    }
    if (strlen(s) > NAME_MAX_LEN || split_name(text, s, ref, err) < 0) {
        if (!rl_error_is_set(err))
            rl_error_set(err, 0, "invalid reference '%s': name longer than 255 characters", text);
        rl_ref_free(ref);
        return -1;
    }
    return 0;
}

int rl_ref_parse(const char *text, rl_ref_t *ref, rl_error_t *err)
{
    if (parse(text, ref, err) == 0) return 0;
    err->kind = RL_ERR_INVALID; /* whatever part of it was wrong */
    return -1;
}

void rl_ref_normalize(rl_ref_t *ref)
{
    if (!ref->domain) ref->domain = xstrdup("docker.io");
    if (!strcmp(ref->domain, "docker.io") && !strchr(ref->path, '/')) {
        char *p = xasprintf("library/%s", ref->path);
        free(ref->path);
        ref->path = p;
    }
    if (!ref->tag && !ref->digest) ref->tag = xstrdup("latest");
}

void rl_ref_set_domain(rl_ref_t *ref, const char *domain)
{
    free(ref->domain);
    ref->domain = xstrdup(domain);
}

bool rl_ref_is_short(const rl_ref_t *ref)
{
    return ref->domain == NULL;
}

void rl_ref_free(rl_ref_t *ref)
{
    free(ref->domain);
    free(ref->path);
    free(ref->tag);
    free(ref->digest);
    memset(ref, 0, sizeof *ref);
}

char *rl_ref_repo(const rl_ref_t *ref)
{
    return ref->domain ? xasprintf("%s/%s", ref->domain, ref->path) : xstrdup(ref->path);
}

char *rl_ref_string(const rl_ref_t *ref)
{
    rl_autofree char *repo = rl_ref_repo(ref);
    return xasprintf("%s%s%s%s%s", repo, ref->tag ? ":" : "", ref->tag ? ref->tag : "",
                     ref->digest ? "@" : "", ref->digest ? ref->digest : "");
}
