/* SPDX-License-Identifier: Apache-2.0 */
/* A growable, always NUL-terminated string buffer. */
#ifndef RL_UTIL_STRBUF_H
#define RL_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rl_strbuf {
    char *buf;
    size_t len;
    size_t cap;
} rl_strbuf_t;

#define RL_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void rl_strbuf_append_n(rl_strbuf_t *sb, const char *s, size_t n);
void rl_strbuf_append(rl_strbuf_t *sb, const char *s);
void rl_strbuf_appendf(rl_strbuf_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_strbuf_putc(rl_strbuf_t *sb, char c);
void rl_strbuf_truncate(rl_strbuf_t *sb, size_t len);
/* The contents ("" when empty); valid until the next append. */
const char *rl_strbuf_str(rl_strbuf_t *sb);
/* Hand the buffer to the caller (never NULL) and reset sb. */
char *rl_strbuf_steal(rl_strbuf_t *sb);
void rl_strbuf_free(rl_strbuf_t *sb);

#endif
