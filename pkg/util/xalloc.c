/* SPDX-License-Identifier: Apache-2.0 */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void oom(void)
{
    static const char m[] = "rl: out of memory\n";
    (void)!write(2, m, sizeof m - 1);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > (size_t)-1 / size) oom();
    return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) oom();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p) oom();
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0) oom();
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

size_t rl_strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

void rl_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

char **rl_strv_dup(char *const *v)
{
    size_t n = rl_strv_len(v);
    char **out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

void rl_strv_push(char ***v, char *s)
{
    size_t n = *v ? rl_strv_len(*v) : 0;
    *v = xrealloc(*v, (n + 2) * sizeof **v);
    (*v)[n] = s;
    (*v)[n + 1] = NULL;
}

bool rl_strv_contains(char *const *v, const char *s)
{
    for (; v && *v; v++)
        if (!strcmp(*v, s)) return true;
    return false;
}
