/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* strerror() capitalises ("No such file"); our messages are lowercase. */
static char *lower_strerror(int errnum)
{
    char *s = xstrdup(strerror(errnum));
    if (s[0] && isupper((unsigned char)s[0]) && !(s[1] && isupper((unsigned char)s[1])))
        s[0] = (char)tolower((unsigned char)s[0]);
    return s;
}

static rl_error_kind_t kind_of(int errnum)
{
    switch (errnum) {
    case ENOENT:
    case ESRCH:
        return RL_ERR_NOT_FOUND;
    case EEXIST:
        return RL_ERR_EXISTS;
    case EBUSY:
        return RL_ERR_BUSY;
    case EINVAL:
        return RL_ERR_INVALID;
    case EPERM:
    case EACCES:
        return RL_ERR_PERMISSION;
    case ENOSYS:
    case EOPNOTSUPP:
        return RL_ERR_UNSUPPORTED;
    default:
        return RL_ERR_OTHER;
    }
}

int rl_error_setv(rl_error_t *err, int errnum, const char *fmt, va_list ap)
{
    char *msg = xvasprintf(fmt, ap);
    if (errnum) {
        char *e = lower_strerror(errnum);
        char *full = xasprintf("%s: %s", msg, e);
        free(e);
        free(msg);
        msg = full;
    }
    free(err->msg);
    err->msg = msg;
    err->code = errnum;
    err->kind = kind_of(errnum);
    return -1;
}

int rl_error_setk(rl_error_t *err, rl_error_kind_t kind, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rl_error_setv(err, errnum, fmt, ap);
    va_end(ap);
    err->kind = kind;
    return -1;
}

int rl_error_set(rl_error_t *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rl_error_setv(err, errnum, fmt, ap);
    va_end(ap);
    return -1;
}

int rl_error_wrap(rl_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *ctx = xvasprintf(fmt, ap);
    va_end(ap);
    char *msg = xasprintf("%s: %s", ctx, err->msg ? err->msg : "unknown error");
    free(ctx);
    free(err->msg);
    err->msg = msg;
    return -1;
}

void rl_error_clear(rl_error_t *err)
{
    free(err->msg);
    *err = (rl_error_t)RL_ERROR_INIT;
}

void rl_error_move(rl_error_t *dst, rl_error_t *src)
{
    free(dst->msg);
    *dst = *src;
    *src = (rl_error_t)RL_ERROR_INIT;
}

/* The packed form: four int32 (errno, kind, exit code, message length),
 * then the message without its NUL. */
typedef struct wire {
    int32_t code, kind, exit, len;
} wire_t;

size_t rl_error_pack(const rl_error_t *err, void *buf, size_t cap)
{
    const char *msg = err->msg ? err->msg : "unknown error";
    if (cap < sizeof(wire_t)) return 0;
    size_t len = strnlen(msg, cap - sizeof(wire_t));
    wire_t w = {
        .code = err->code, .kind = (int32_t)err->kind, .exit = err->exit, .len = (int32_t)len};
    memcpy(buf, &w, sizeof w);
    memcpy((char *)buf + sizeof w, msg, len);
    return sizeof w + len;
}

int rl_error_unpack(const void *buf, size_t len, rl_error_t *err)
{
    wire_t w;
    if (len < sizeof w) return rl_error_set(err, 0, "a child's error came back cut short");
    memcpy(&w, buf, sizeof w);
    if (w.len < 0 || (size_t)w.len != len - sizeof w || w.kind < 0 || w.kind > RL_ERR_UNSUPPORTED)
        return rl_error_set(err, 0, "a child's error came back garbled");
    rl_error_set(err, 0, "%.*s", (int)w.len, (const char *)buf + sizeof w);
    err->code = w.code, err->kind = (rl_error_kind_t)w.kind, err->exit = w.exit;
    return -1;
}
