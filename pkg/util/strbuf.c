/* SPDX-License-Identifier: Apache-2.0 */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void grow(rl_strbuf_t *sb, size_t extra)
{
    if (extra > (size_t)-1 / 2 - sb->len) abort();
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void rl_strbuf_append_n(rl_strbuf_t *sb, const char *s, size_t n)
{
    grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void rl_strbuf_append(rl_strbuf_t *sb, const char *s)
{
    rl_strbuf_append_n(sb, s, strlen(s));
}

void rl_strbuf_putc(rl_strbuf_t *sb, char c)
{
    rl_strbuf_append_n(sb, &c, 1);
}

void rl_strbuf_appendf(rl_strbuf_t *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    rl_strbuf_append(sb, s);
    free(s);
}

void rl_strbuf_truncate(rl_strbuf_t *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        sb->buf[len] = '\0';
    }
}

const char *rl_strbuf_str(rl_strbuf_t *sb)
{
    return sb->buf ? sb->buf : "";
}

char *rl_strbuf_steal(rl_strbuf_t *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void rl_strbuf_free(rl_strbuf_t *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}
