/* SPDX-License-Identifier: Apache-2.0 */
/* `rl logs`: a container's k8s-file log (pkg/monitor/log.h); -f follows
 * until the container has exited. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/monitor/log.h"
#include "pkg/util/cleanup.h"

typedef struct logs_opts {
    bool follow, timestamps, names;
    long tail; /* -1: all */
    bool has_since, has_until;
    struct timespec since, until;
} logs_opts_t;

static bool before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* One record to stdout/stderr; at_line_start tracks where -t prefixes go. */
static void emit(const logs_opts_t *o, const rl_mon_log_rec_t *r, const char *name, bool *at_start)
{
    if (o->has_since && before(r->ts, o->since)) return;
    if (o->has_until && before(o->until, r->ts)) return;
    FILE *f = r->is_stderr ? stderr : stdout;
    if (*at_start && o->names) fprintf(f, "%.12s ", name);
    if (*at_start && o->timestamps) fprintf(f, "%.*s ", (int)r->time_len, r->time);
    fwrite(r->text, 1, r->text_len, f);
    if (!r->partial) fputc('\n', f);
    *at_start = !r->partial;
    fflush(f);
}

/* Print complete lines of buf[0..len); returns the bytes used. */
static size_t emit_lines(const logs_opts_t *o, const char *buf, size_t len, const char *name,
                         bool *at_start, long skip_full)
{
    size_t off = 0;
    long full = 0;
    while (off < len) {
        const char *nl = memchr(buf + off, '\n', len - off);
        if (!nl) break;
        size_t ll = (size_t)(nl - (buf + off));
        rl_mon_log_rec_t r;
        if (rl_mon_log_parse_line(buf + off, ll, &r) == 0) {
            if (full >= skip_full) emit(o, &r, name, at_start);
            if (!r.partial) full++;
        }
        off += ll + 1;
    }
    return off;
}

static long count_full(const char *buf, size_t len)
{
    /* full records: lines whose flag is F */
    long n = 0;
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(buf + off, '\n', len - off);
        if (!nl) break;
        rl_mon_log_rec_t r;
        if (rl_mon_log_parse_line(buf + off, (size_t)(nl - buf - off), &r) == 0 && !r.partial) n++;
        off = (size_t)(nl - buf) + 1;
    }
    return n;
}

static bool running(rl_store_t *s, const char *id)
{
    rl_ctr_state_t st;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_ctr_state_load(s, id, &st, &e) < 0) return rl_error_clear(&e), false;
    bool r = rl_ctr_state_live(&st) == RL_CTR_RUNNING || rl_ctr_monitor_alive(&st);
    rl_ctr_state_clear(&st);
    return r;
}

static int show(rl_store_t *s, const char *id, const logs_opts_t *o)
{
    rl_autofree char *path = rl_ctr_path(s, id, "ctr.log");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno != ENOENT) {
        rl_error_t err = RL_ERROR_INIT;
        rl_error_set(&err, errno, "open '%s'", path);
        return rl_cli_fail(&err);
    }
    rl_autofree char *buf = NULL;
    size_t len = 0, cap = 0;
    bool at_start = true, first = true;
    long skip = 0;
    for (;;) {
        ssize_t n = 0;
        if (fd >= 0) {
            if (cap - len < 65536) buf = xrealloc(buf, cap = cap * 2 + 65536);
            n = read(fd, buf + len, cap - len);
        }
        if (n > 0) {
            len += (size_t)n;
            continue;
        }
        if (first && o->tail >= 0) {
            long full = count_full(buf ? buf : "", len);
            skip = full > o->tail ? full - o->tail : 0;
        }
        size_t used = emit_lines(o, buf ? buf : "", len, id, &at_start, first ? skip : 0);
        memmove(buf, buf + used, len - used);
        len -= used;
        first = false;
        if (!o->follow) break;
        bool alive = running(s, id);
        if (!alive) {
            /* one last read: what was written just before the end */
            if (fd >= 0 && (n = read(fd, buf + len, cap - len)) > 0) {
                len += (size_t)n;
                continue;
            }
            break;
        }
        if (fd < 0) fd = open(path, O_RDONLY | O_CLOEXEC);
        usleep(100 * 1000);
    }
    if (fd >= 0) close(fd);
    return 0;
}

static int set_tail(void *ctx, const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < -1) {
        rl_cli_usage("logs", "--tail '%s': give a number of lines (-1: all)", v);
        return -1;
    }
    ((logs_opts_t *)ctx)->tail = n;
    return 0;
}

static int set_time(const char *v, struct timespec *out, bool *has)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    rl_error_t err = RL_ERROR_INIT;
    if (rl_mon_log_parse_time(v, now, out, &err) < 0) return rl_cli_fail(&err), -1;
    *has = true;
    return 0;
}

static int set_since(void *ctx, const char *v)
{
    logs_opts_t *o = ctx;
    return set_time(v, &o->since, &o->has_since);
}

static int set_until(void *ctx, const char *v)
{
    logs_opts_t *o = ctx;
    return set_time(v, &o->until, &o->has_until);
}

static const rl_cli_opt_t logs_opts[] = {
    RL_FLAG("follow", 'f', logs_opts_t, follow, "go on until the container exits"),
    RL_FLAG("timestamps", 't', logs_opts_t, timestamps, "each line's time first"),
    RL_FLAG("names", 'n', logs_opts_t, names, "each line's container first"),
    RL_FN("tail", 0, "N", set_tail, "the last N lines (-1: all)"),
    RL_FN("since", 0, "TIME", set_since, "from this time (RFC 3339, unix seconds, or 10m)"),
    RL_FN("until", 0, "TIME", set_until, "up to this time"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_logs = {"logs", "show a container's output (-f: follow)", "CONTAINER...",
                                  logs_opts, true};

int rl_cmd_logs(int argc, char **argv)
{
    logs_opts_t o = {.tail = -1};
    if (rl_cli_parse(&rl_cli_logs, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    if (optind >= argc) return rl_cli_usage("logs", "give a container name or id");
    int rc = 0;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    if (argc - optind > 1) o.names = true;
    for (int i = optind; i < argc && rc == 0; i++) {
        char id[65];
        rl_error_t err = RL_ERROR_INIT;
        if (rl_engine_ctr_find(s, argv[i], id, &err) < 0) return rl_cli_fail(&err);
        rc = show(s, id, &o);
    }
    return rc;
}
