#include "error.h"

#include <ctype.h>
#include <errno.h>
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
    err->msg = NULL;
    err->code = 0;
    err->exit = 0;
}
