/* SPDX-License-Identifier: Apache-2.0 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "xalloc.h"

static rl_log_level_t log_level = RL_LOG_WARNING;
static int log_fd = -1;
static bool log_json;

static const char *const level_names[] = {"error", "warning", "info", "debug"};

int rl_log_parse_level(const char *s)
{
    if (!strcmp(s, "warn")) return RL_LOG_WARNING;
    for (int i = 0; i <= RL_LOG_DEBUG; i++)
        if (!strcmp(s, level_names[i])) return i;
    return -1;
}

void rl_log_set_level(rl_log_level_t level)
{
    log_level = level;
}

rl_log_level_t rl_log_get_level(void)
{
    return log_level;
}

int rl_log_file_fd(void)
{
    return log_fd;
}

int rl_log_set_file(const char *path, bool json, rl_error_t *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return rl_error_set(err, errno, "open log file '%s'", path);
    if (log_fd >= 0) close(log_fd);
    log_fd = fd;
    log_json = json;
    return 0;
}

static void json_escape(rl_strbuf_t *sb, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            rl_strbuf_appendf(sb, "\\%c", c);
        else if (c < 0x20)
            rl_strbuf_appendf(sb, "\\u%04x", c);
        else
            rl_strbuf_putc(sb, (char)c);
    }
}

static void write_file_line(rl_log_level_t level, const char *msg)
{
    char ts[64];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    rl_strbuf_t sb = RL_STRBUF_INIT;
    if (log_json) {
        rl_strbuf_appendf(&sb, "{\"level\":\"%s\",\"msg\":\"", level_names[level]);
        json_escape(&sb, msg);
        rl_strbuf_appendf(&sb, "\",\"time\":\"%s.%09ldZ\"}\n", ts, now.tv_nsec);
    } else {
        rl_strbuf_appendf(&sb, "%s.%09ldZ %s: %s\n", ts, now.tv_nsec, level_names[level], msg);
    }
    (void)!write(log_fd, sb.buf, sb.len);
    rl_strbuf_free(&sb);
}

void rl_log(rl_log_level_t level, const char *fmt, ...)
{
    if (level > log_level) return;
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (log_fd >= 0) write_file_line(level, msg);
    /* Errors always reach the terminal; the rest only without a log file. */
    if (log_fd < 0 || level == RL_LOG_ERROR) {
        if (level == RL_LOG_ERROR)
            dprintf(2, "rl: %s\n", msg);
        else
            dprintf(2, "rl: %s: %s\n", level_names[level], msg);
    }
    free(msg);
    errno = saved;
}
