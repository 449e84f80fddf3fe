/* SPDX-License-Identifier: Apache-2.0 */
/* rl_error_t: the one error type of rl (DESIGN.md §4).
 * A function that can fail takes `rl_error_t *err` last, returns < 0 or NULL
 * and fills err; on success it leaves err alone. */
#ifndef RL_UTIL_ERROR_H
#define RL_UTIL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* What went wrong, for the code that handles it (never the message text).
 * rl_error_set derives it from errno; rl_error_setk names it where the
 * error is made. */
typedef enum {
    RL_ERR_OTHER = 0,
    RL_ERR_NOT_FOUND,   /* no such container, image, file ... */
    RL_ERR_EXISTS,      /* a name or object already there */
    RL_ERR_BUSY,        /* in use: running, held by another */
    RL_ERR_INVALID,     /* bad input: a reference, a value, a file's content */
    RL_ERR_PERMISSION,  /* not allowed for this user */
    RL_ERR_UNSUPPORTED, /* not on this system, or not by rl */
} rl_error_kind_t;

typedef struct rl_error {
    int code;  /* errno of the failing call, 0 when not a system error */
    char *msg; /* lowercase, no full stop; NULL when no error */
    int exit;  /* exit code this error asks for (126, 127, ...), 0: the caller's default */
    rl_error_kind_t kind; /* see above */
} rl_error_t;

#define RL_ERROR_INIT                                                                              \
    {                                                                                              \
        0, NULL, 0, RL_ERR_OTHER                                                                   \
    }

/* Fill err with a formatted message; with errnum != 0, append ": <strerror>".
 * Always returns -1 so callers can `return rl_error_set(...)`. */
int rl_error_set(rl_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rl_error_setv(rl_error_t *err, int errnum, const char *fmt, va_list ap);

/* rl_error_set with the kind given (errnum may be 0). Returns -1. */
int rl_error_setk(rl_error_t *err, rl_error_kind_t kind, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefix the message with context: "ctx: old message". Returns -1. */
int rl_error_wrap(rl_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void rl_error_clear(rl_error_t *err);
static inline int rl_error_is_set(const rl_error_t *err)
{
    return err->msg != NULL;
}
static inline int rl_error_is(const rl_error_t *err, rl_error_kind_t kind)
{
    return err->msg != NULL && err->kind == kind;
}
/* Move src into *dst (whose old error is freed); src is left clear. */
void rl_error_move(rl_error_t *dst, rl_error_t *src);

/* An error as bytes, to cross a pipe or socket from a child to its parent:
 * errno, kind, exit code and message, the message cut to fit cap. Returns
 * the length written. */
size_t rl_error_pack(const rl_error_t *err, void *buf, size_t cap);
/* The error packed in buf into err; a short or garbled buf is an error
 * saying so. Returns -1, as the error it carries. */
int rl_error_unpack(const void *buf, size_t len, rl_error_t *err);

#endif
