/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation that never returns NULL: out of memory aborts (DESIGN.md §4). */
#ifndef RL_UTIL_XALLOC_H
#define RL_UTIL_XALLOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* NULL-terminated string vectors. */
size_t rl_strv_len(char *const *v);
void rl_strv_free(char **v);
char **rl_strv_dup(char *const *v);
/* Append s (owned) to a NULL-terminated vector (*v may be NULL). */
void rl_strv_push(char ***v, char *s);
/* s is one of v's strings (v may be NULL). */
bool rl_strv_contains(char *const *v, const char *s);

#endif
