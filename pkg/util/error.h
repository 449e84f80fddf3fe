/* rl_error_t: the one error type of rl (DESIGN.md §4).
 * A function that can fail takes `rl_error_t *err` last, returns < 0 or NULL
 * and fills err; on success it leaves err alone. */
#ifndef RL_UTIL_ERROR_H
#define RL_UTIL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rl_error {
    int code;  /* errno of the failing call, 0 when not a system error */
    char *msg; /* lowercase, no full stop; NULL when no error */
    int exit;  /* exit code this error asks for (126, 127, ...), 0: the caller's default */
} rl_error_t;

#define RL_ERROR_INIT                                                                              \
    {                                                                                              \
        0, NULL, 0                                                                                 \
    }

/* Fill err with a formatted message; with errnum != 0, append ": <strerror>".
 * Always returns -1 so callers can `return rl_error_set(...)`. */
int rl_error_set(rl_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rl_error_setv(rl_error_t *err, int errnum, const char *fmt, va_list ap);

/* Prefix the message with context: "ctx: old message". Returns -1. */
int rl_error_wrap(rl_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void rl_error_clear(rl_error_t *err);
static inline int rl_error_is_set(const rl_error_t *err)
{
    return err->msg != NULL;
}

#endif
