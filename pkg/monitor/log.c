/* SPDX-License-Identifier: Apache-2.0 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"

int rl_mon_log_opt_parse(const char *s, int64_t *max_size, rl_error_t *err)
{
    if (strncmp(s, "max-size=", 9) != 0) {
        if (!strncmp(s, "path=", 5) || !strncmp(s, "tag=", 4))
            return rl_error_set(err, 0, "--log-opt '%s': not supported; use max-size=SIZE", s);
        return rl_error_set(err, 0, "--log-opt '%s': use max-size=SIZE (e.g. 10m)", s);
    }
    const char *v = s + 9;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    int64_t mult = 1;
    switch (*end | 0x20) {
    case 'k':
        mult = 1024, end++;
        break;
    case 'm':
        mult = 1024 * 1024, end++;
        break;
    case 'g':
        mult = 1024LL * 1024 * 1024, end++;
        break;
    default:
        break;
    }
    if ((*end | 0x20) == 'b') end++;
    if (!*v || *v == '-' || *end || errno || n <= 0 || n > INT64_MAX / mult)
        return rl_error_set(err, 0,
                            "--log-opt max-size '%s': give a positive size such as "
                            "512k or 10m",
                            v);
    *max_size = n * mult;
    /* a record must fit: conmon refuses sizes this small too */
    if (*max_size < 4096) return rl_error_set(err, 0, "--log-opt max-size '%s': at least 4k", v);
    return 0;
}

static void put2(char *p, long v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

/* RFC 3339 local time with nanoseconds, e.g. 2026-11-23T17:51:02.123456789+01:00.
 * localtime_r and the formatting run once an hour, not for each line, so a
 * monitor at rest keeps libc's time zone and printf code out of memory
 * (trim.c). */
static void stamp(rl_mon_log_t *log, char *out, size_t len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    __typeof__(log->hour) *h = &log->hour;
    /* the offset changes only at a transition, and those fall on a local hour */
    if (h->start < 0 || ts.tv_sec < h->start || ts.tv_sec >= h->start + 3600) {
        struct tm tm;
        localtime_r(&ts.tv_sec, &tm);
        h->start = ts.tv_sec - tm.tm_min * 60 - tm.tm_sec;
        strftime(h->head, sizeof h->head, "%Y-%m-%dT%H", &tm);
        long off = labs(tm.tm_gmtoff);
        snprintf(h->zone, sizeof h->zone, "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+',
                 off / 3600 % 100, off / 60 % 60);
    }
    char tail[24]; /* ":MM:SS.nnnnnnnnn" */
    long into = ts.tv_sec - h->start, ns = ts.tv_nsec;
    tail[0] = ':', put2(tail + 1, into / 60), tail[3] = ':', put2(tail + 4, into % 60);
    tail[6] = '.';
    for (int i = 15; i >= 7; i--, ns /= 10)
        tail[i] = (char)('0' + ns % 10);
    tail[16] = '\0';
    size_t a = strlen(h->head), z = strlen(h->zone);
    if (a + 16 + z + 1 > len) return (void)(*out = '\0');
    memcpy(out, h->head, a);
    memcpy(out + a, tail, 16);
    memcpy(out + a + 16, h->zone, z + 1);
}

int rl_mon_log_open(const char *path, int64_t max_size, rl_mon_log_t *log, rl_error_t *err)
{
    log->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log->fd < 0) return rl_error_set(err, errno, "open log '%s'", path);
    struct stat st;
    log->size = fstat(log->fd, &st) == 0 ? st.st_size : 0;
    log->path = xstrdup(path);
    log->max_size = max_size;
    log->hour.start = -1;
    char ts[64];
    stamp(log, ts, sizeof ts); /* the hour's part now, before the monitor trims */
    return 0;
}

void rl_mon_log_close(rl_mon_log_t *log)
{
    if (log->fd >= 0) close(log->fd);
    log->fd = -1;
    free(log->path);
    log->path = NULL;
}

/* One older file kept, as podman's k8s-file keeps none: enough for `rl
 * logs` to be cheap and the disk bounded by twice max-size. The log's
 * name never goes missing on the way (a reader between a rename and the
 * new file's creation would find nothing): the old content is linked to
 * .1 and a new file renamed over the name. */
static void rotate(rl_mon_log_t *log)
{
    rl_autofree char *old = xasprintf("%s.1", log->path);
    rl_autofree char *tmp_old = xasprintf("%s.1.tmp", log->path);
    rl_autofree char *tmp_new = xasprintf("%s.new", log->path);
    int fd = open(tmp_new, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return; /* keep writing where we are: better long than lost */
    unlink(tmp_old);
    if (link(log->path, tmp_old) < 0 || rename(tmp_old, old) < 0 ||
        rename(tmp_new, log->path) < 0) {
        close(fd);
        unlink(tmp_new);
        unlink(tmp_old);
        return;
    }
    close(log->fd);
    log->fd = fd;
    log->size = 0;
}

static void write_rec(rl_mon_log_t *log, const char *ts, const char *stream, bool partial,
                      const char *text, size_t n)
{
    /* "<ts> <stream> <P|F> ", put together by hand as stamp() is */
    char head[96];
    size_t tl = strlen(ts), sl = strlen(stream), hl = tl + sl + 4;
    if (hl > sizeof head) return;
    memcpy(head, ts, tl);
    head[tl] = ' ';
    memcpy(head + tl + 1, stream, sl);
    memcpy(head + tl + 1 + sl, partial ? " P " : " F ", 3);
    struct iovec iov[3] = {{head, hl}, {(void *)text, n}, {"\n", 1}};
    size_t total = hl + n + 1;
    if (log->max_size && log->size + (int64_t)total > log->max_size && log->size > 0) rotate(log);
    ssize_t w;
    do
        w = writev(log->fd, iov, 3);
    while (w < 0 && errno == EINTR);
    if (w > 0) log->size += w;
}

void rl_mon_log_write(rl_mon_log_t *log, const char *stream, const char *buf, size_t n)
{
    if (log->fd < 0 || n == 0) return;
    char ts[64];
    stamp(log, ts, sizeof ts);
    while (n > 0) {
        const char *nl = memchr(buf, '\n', n);
        size_t len = nl ? (size_t)(nl - buf) : n;
        write_rec(log, ts, stream, !nl, buf, len);
        size_t used = len + (nl ? 1 : 0);
        buf += used;
        n -= used;
    }
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* RFC 3339 with an optional fraction; returns the bytes used or -1. */
static int parse_rfc3339(const char *s, size_t len, struct timespec *out)
{
    int y, mo, d, h, mi, sec;
    if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
    size_t i = 19;
    long ns = 0;
    if (i < len && s[i] == '.') {
        int nd = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++)
            if (nd < 9) ns = ns * 10 + (s[i] - '0');
        if (nd == 0) return -1;
        for (; nd < 9; nd++)
            ns *= 10;
    }
    long off = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i + 6 <= len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 23 || om > 59) return -1;
        off = (s[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        i += 6;
    } else {
        return -1;
    }
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    out->tv_sec = timegm(&tm) - off;
    out->tv_nsec = ns;
    return (int)i;
}

int rl_mon_log_parse_line(const char *line, size_t len, rl_mon_log_rec_t *rec)
{
    const char *sp = memchr(line, ' ', len);
    if (!sp) return -1;
    size_t tl = (size_t)(sp - line);
    if (parse_rfc3339(line, tl, &rec->ts) != (int)tl) return -1;
    rec->time = line, rec->time_len = tl;
    const char *p = sp + 1, *end = line + len;
    if ((size_t)(end - p) >= 9 && !memcmp(p, "stdout ", 7))
        rec->is_stderr = false, p += 7;
    else if ((size_t)(end - p) >= 9 && !memcmp(p, "stderr ", 7))
        rec->is_stderr = true, p += 7;
    else
        return -1;
    if ((*p != 'F' && *p != 'P') || p[1] != ' ') return -1;
    rec->partial = *p == 'P';
    rec->text = p + 2;
    rec->text_len = (size_t)(end - rec->text);
    return 0;
}

/* "1h30m", "10s", "500ms" → nanoseconds */
static int parse_duration(const char *s, long double *ns)
{
    *ns = 0;
    if (!*s) return -1;
    while (*s) {
        char *end;
        errno = 0;
        long double v = strtold(s, &end);
        if (end == s || errno || v < 0) return -1;
        s = end;
        long double unit;
        if (!strncmp(s, "ms", 2))
            unit = 1e6L, s += 2;
        else if (*s == 's')
            unit = 1e9L, s++;
        else if (*s == 'm')
            unit = 60e9L, s++;
        else if (*s == 'h')
            unit = 3600e9L, s++;
        else
            return -1;
        *ns += v * unit;
        if (*ns > 1e19L) return -1;
    }
    return 0;
}

int rl_mon_log_parse_time(const char *s, struct timespec now, struct timespec *out, rl_error_t *err)
{
    size_t len = strlen(s);
    if (parse_rfc3339(s, len, out) == (int)len) return 0;
    long double ns;
    if (parse_duration(s, &ns) == 0) {
        long double t = (long double)now.tv_sec * 1e9L + now.tv_nsec - ns;
        if (t < 0) t = 0;
        out->tv_sec = (time_t)(t / 1e9L);
        out->tv_nsec = (long)(t - (long double)out->tv_sec * 1e9L);
        return 0;
    }
    /* a bare date, as podman takes it */
    int y, mo, d;
    if (len == 10 && s[4] == '-' && s[7] == '-' && !digits(s, 4, &y) && !digits(s + 5, 2, &mo) &&
        !digits(s + 8, 2, &d) && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
        struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_isdst = -1};
        out->tv_sec = mktime(&tm);
        out->tv_nsec = 0;
        return 0;
    }
    return rl_error_set(err, 0,
                        "time '%s': give an RFC 3339 time (2024-01-02T15:04:05Z), a date "
                        "(2024-01-02) or a duration before now (10m, 1h30m)",
                        s);
}
