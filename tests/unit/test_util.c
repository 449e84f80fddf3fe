/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/util: errors, string buffers, files, JSON access. */
#include <fcntl.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/evloop.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/parallel.h"
#include "pkg/util/strbuf.h"
#include "unit.h"

static void error_set_wrap(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_error_set(&err, ENOENT, "open '%s'", "/x"), -1);
    assert_string_equal(err.msg, "open '/x': no such file or directory");
    assert_int_equal(err.code, ENOENT);
    rl_error_wrap(&err, "config %d", 1);
    assert_string_equal(err.msg, "config 1: open '/x': no such file or directory");
    rl_error_clear(&err);
    assert_null(err.msg);
    assert_int_equal(err.code, 0);
}

static void error_kinds(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    /* from errno where the error is a system call's */
    rl_error_set(&err, ENOENT, "open");
    assert_int_equal(err.kind, RL_ERR_NOT_FOUND);
    assert_true(rl_error_is(&err, RL_ERR_NOT_FOUND));
    rl_error_set(&err, EACCES, "open");
    assert_int_equal(err.kind, RL_ERR_PERMISSION);
    rl_error_set(&err, EEXIST, "mkdir");
    assert_int_equal(err.kind, RL_ERR_EXISTS);
    rl_error_set(&err, EIO, "read");
    assert_int_equal(err.kind, RL_ERR_OTHER);
    /* named where it is made; the message plays no part */
    rl_error_setk(&err, RL_ERR_BUSY, 0, "no container with that name");
    assert_true(rl_error_is(&err, RL_ERR_BUSY));
    assert_false(rl_error_is(&err, RL_ERR_NOT_FOUND));
    assert_int_equal(err.code, 0);
    rl_error_wrap(&err, "rm");
    assert_true(rl_error_is(&err, RL_ERR_BUSY)); /* context keeps the kind */
    rl_error_clear(&err);
    assert_false(rl_error_is(&err, RL_ERR_BUSY)); /* no error is no kind */
    assert_int_equal(err.kind, RL_ERR_OTHER);
    rl_error_t moved = RL_ERROR_INIT;
    rl_error_setk(&err, RL_ERR_INVALID, EINVAL, "bad");
    rl_error_move(&moved, &err);
    assert_null(err.msg);
    assert_true(rl_error_is(&moved, RL_ERR_INVALID));
    rl_error_clear(&moved);
}

static void error_pack_roundtrip_and_hostile(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT, back = RL_ERROR_INIT;
    char buf[256];
    rl_error_setk(&err, RL_ERR_PERMISSION, EPERM, "mount proc");
    err.exit = 126;
    size_t n = rl_error_pack(&err, buf, sizeof buf);
    assert_int_equal(rl_error_unpack(buf, n, &back), -1);
    assert_string_equal(back.msg, err.msg);
    assert_int_equal(back.code, EPERM);
    assert_int_equal(back.kind, RL_ERR_PERMISSION);
    assert_int_equal(back.exit, 126);
    rl_error_clear(&back);
    /* a long message is cut to fit, and still unpacks */
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    rl_error_set(&err, 0, "%s", big);
    n = rl_error_pack(&err, buf, 100);
    assert_true(n <= 100);
    rl_error_unpack(buf, n, &back);
    assert_int_equal(strlen(back.msg), 100 - 16);
    rl_error_clear(&back);
    /* no room for the header: nothing written */
    assert_int_equal(rl_error_pack(&err, buf, 8), 0);
    /* cut short, a length that lies, a kind out of range: each an error of its own */
    n = rl_error_pack(&err, buf, sizeof buf);
    assert_error(rl_error_unpack(buf, 10, &back), &back, "cut short");
    assert_error(rl_error_unpack(buf, n - 1, &back), &back, "garbled");
    int32_t bad_kind = 99;
    memcpy(buf + 4, &bad_kind, 4);
    assert_error(rl_error_unpack(buf, n, &back), &back, "garbled");
    int32_t bad_len = -5;
    memcpy(buf + 12, &bad_len, 4);
    assert_error(rl_error_unpack(buf, n, &back), &back, "garbled");
    rl_error_clear(&err);
}

typedef struct ev_probe {
    rl_ev_t *ev;
    int calls[64];
    int remover, victim; /* when remover's callback runs, it removes (and closes) victim */
} ev_probe_t;

static void ev_count(void *arg, int fd, uint32_t events)
{
    ev_probe_t *p = arg;
    (void)events;
    p->calls[fd]++;
    char c;
    if (read(fd, &c, 1) < 0) {
    }
    if (fd == p->remover && p->victim >= 0) {
        rl_ev_del(p->ev, p->victim);
        close(p->victim);
        p->victim = -1;
    }
}

/* Each source gets its own events through its own callback; a source a
 * callback removed gets nothing more, even from the round it was in. */
static void evloop_sources(void **state)
{
    (void)state;
    ev_probe_t p = {.ev = rl_ev_new(), .remover = -1, .victim = -1};
    assert_non_null(p.ev);
    int a[2], b[2];
    assert_int_equal(pipe(a), 0);
    assert_int_equal(pipe(b), 0);
    assert_int_equal(rl_ev_add(p.ev, a[0], EPOLLIN, ev_count, &p), 0);
    assert_int_equal(rl_ev_add(p.ev, b[0], EPOLLIN, ev_count, &p), 0);
    assert_int_equal(rl_ev_run(p.ev, 0), 0); /* nothing ready */
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(rl_ev_run(p.ev, 1000), 1);
    assert_int_equal(p.calls[a[0]], 1);
    assert_int_equal(p.calls[b[0]], 0);
    /* both ready in one round; a's callback removes b: b hears nothing,
     * whether it came before a in the round (then it ran once) or after */
    int ra = a[0], rb = b[0];
    assert_int_equal(write(b[1], "x", 1), 1);
    assert_int_equal(write(a[1], "x", 1), 1);
    p.remover = ra, p.victim = rb;
    p.calls[ra] = p.calls[rb] = 0;
    while (p.calls[ra] == 0)
        rl_ev_run(p.ev, 1000);
    int b_before = p.calls[rb];
    assert_true(b_before <= 1);
    rl_ev_run(p.ev, 100); /* b's event of that round, had it been kept, would come now */
    assert_int_equal(p.calls[rb], b_before);
    /* mod to no events: quiet; removed: quiet; unknown fd: refused */
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(rl_ev_mod(p.ev, ra, 0), 0);
    p.calls[ra] = 0;
    assert_int_equal(rl_ev_run(p.ev, 0), 0);
    rl_ev_del(p.ev, ra);
    assert_int_equal(rl_ev_mod(p.ev, ra, EPOLLIN), -1);
    assert_int_equal(rl_ev_add(p.ev, -1, EPOLLIN, ev_count, &p), -1);
    close(a[0]), close(a[1]), close(b[1]);
    rl_ev_free(p.ev);
}

static void strbuf_grows(void **state)
{
    (void)state;
    rl_strbuf_t sb = RL_STRBUF_INIT;
    assert_string_equal(rl_strbuf_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        rl_strbuf_appendf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.buf));
    assert_true(!strncmp(sb.buf, "0,1,2,", 6));
    rl_strbuf_truncate(&sb, 2);
    assert_string_equal(sb.buf, "0,");
    char *s = rl_strbuf_steal(&sb);
    assert_string_equal(s, "0,");
    assert_null(sb.buf);
    free(s);
}

static void fs_atomic_mkdir_rm(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/rl-unit-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *deep = xasprintf("%s/a/b/c", tmpl);
    assert_int_equal(rl_fs_mkdir_p(deep, 0700, &err), 0);
    assert_int_equal(rl_fs_mkdir_p(deep, 0700, &err), 0); /* existing is fine */
    rl_autofree char *f = xasprintf("%s/a/file", tmpl);
    assert_int_equal(rl_fs_write_atomic(f, "one", 3, 0600, &err), 0);
    assert_int_equal(rl_fs_write_atomic(f, "two!", 4, 0600, &err), 0);
    char *data;
    size_t len;
    assert_int_equal(rl_fs_read_file(f, 100, &data, &len, &err), 0);
    assert_int_equal(len, 4);
    assert_string_equal(data, "two!");
    free(data);
    struct stat st;
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* a file too large for the limit is refused, not truncated */
    assert_error(rl_fs_read_file(f, 2, &data, &len, &err), &err, "file too large");
    /* a file in place of a directory */
    assert_error(rl_fs_mkdir_p(f, 0700, &err), &err, "not a directory");
    rl_autofree char *link = xasprintf("%s/a/link", tmpl);
    assert_int_equal(symlink("/etc", link), 0);
    assert_int_equal(rl_fs_rm_rf(tmpl, &err), 0);
    assert_false(rl_fs_exists(tmpl));
    assert_true(rl_fs_exists("/etc/passwd"));     /* the symlink was not followed */
    assert_int_equal(rl_fs_rm_rf(tmpl, &err), 0); /* missing is fine */
    assert_error(rl_fs_read_file("/nonexistent/x", 10, &data, &len, &err), &err,
                 "open '/nonexistent/x': no such file or directory");
}

/* --env-file, --label-file, --cidfile: settings one per line */
static void fs_read_lines_hostile(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/rl-unit-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *f = xasprintf("%s/lines", tmpl);
    const char text[] = "  # comment\r\n\n\tA=1 \r\n\v\f\nB= two words\n#C=3\nD=4";
    assert_int_equal(rl_fs_write_atomic(f, text, sizeof text - 1, 0600, &err), 0);
    rl_autostrv char **v = NULL;
    assert_int_equal(rl_fs_read_lines(f, &v, &err), 0);
    assert_int_equal(rl_strv_len(v), 3);
    assert_string_equal(v[0], "A=1");
    assert_string_equal(v[1], "B= two words");
    assert_string_equal(v[2], "D=4"); /* no final newline */
    /* empty: no lines; a NUL byte: refused, not cut short */
    assert_int_equal(rl_fs_write_atomic(f, "", 0, 0600, &err), 0);
    rl_autostrv char **none = NULL;
    assert_int_equal(rl_fs_read_lines(f, &none, &err), 0);
    assert_null(none[0]);
    assert_int_equal(rl_fs_write_atomic(f, "A=1\0B=2\n", 8, 0600, &err), 0);
    char **bad = NULL;
    assert_int_equal(rl_fs_read_lines(f, &bad, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_INVALID));
    assert_null(bad);
    rl_error_clear(&err);
    assert_error(rl_fs_read_lines("/nonexistent/x", &bad, &err), &err,
                 "open '/nonexistent/x': no such file or directory");
    assert_int_equal(rl_fs_rm_rf(tmpl, &err), 0);
}

/* The length bounds the document: no NUL needed after it, none allowed in it. */
static void json_parse_is_bounded_by_len(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    const char unterminated[4] = {'1', ' ', ' ', 'x'};
    rl_autojson json_object *o = rl_json_parse(unterminated, 3, "t", &err);
    assert_non_null(o);
    const char nul_inside[5] = {'1', ' ', '\0', ' ', ' '};
    assert_null(rl_json_parse(nul_inside, 5, "t", &err));
    assert_non_null(err.msg);
    rl_error_clear(&err);
}

static void json_syntax_errors_name_line_and_column(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    const char *bad[] = {
        "{\n  \"a\": 1,\n  \"b\": }", "[1, 2", "{\"a\":1} trailing", "", "nul\"", "{\"a\":tru}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object *o = rl_json_parse(bad[i], strlen(bad[i]), "doc", &err);
        assert_null(o);
        assert_non_null(strstr(err.msg, "doc: invalid JSON at line"));
        rl_error_clear(&err);
    }
    json_object *o = rl_json_parse("{\n  \"a\": 1,\n  \"b\": }", 20, "doc", &err);
    assert_null(o);
    assert_non_null(strstr(err.msg, "line 3"));
    rl_error_clear(&err);
}

static void json_typed_getters(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    const char *text = "{\"s\":\"x\",\"n\":5,\"big\":18446744073709551615,\"neg\":-1,\"b\":true,"
                       "\"v\":[\"a\",\"b\"],\"bad\":[\"a\",1],\"nul\":\"a\\u0000b\",\"z\":null}";
    rl_autojson json_object *o = rl_json_parse(text, strlen(text), "t", &err);
    assert_non_null(o);
    const char *s;
    assert_int_equal(rl_json_str(o, "p", "s", true, &s, &err), 1);
    assert_string_equal(s, "x");
    assert_int_equal(rl_json_str(o, "p", "missing", false, &s, &err), 0);
    assert_int_equal(rl_json_str(o, "p", "z", false, &s, &err), 0); /* null counts as absent */
    assert_error(rl_json_str(o, "p", "missing", true, &s, &err), &err,
                 "p.missing: required but missing");
    assert_error(rl_json_str(o, "p", "n", true, &s, &err), &err,
                 "p.n: expected a string, got an integer");
    assert_error(rl_json_str(o, "p", "nul", true, &s, &err), &err,
                 "p.nul: contains a NUL character");
    int64_t i;
    assert_int_equal(rl_json_i64(o, "", "n", 0, 10, &i, &err), 1);
    assert_int_equal(i, 5);
    assert_error(rl_json_i64(o, "", "n", 0, 4, &i, &err), &err, "n: 5 out of range [0, 4]");
    uint64_t u;
    assert_int_equal(rl_json_u64(o, "", "big", &u, &err), 1);
    assert_true(u == UINT64_MAX);
    assert_error(rl_json_u64(o, "", "neg", &u, &err), &err, "neg: must not be negative");
    bool b = false;
    assert_int_equal(rl_json_bool(o, "", "b", &b, &err), 1);
    assert_true(b);
    char **v;
    assert_int_equal(rl_json_strv(o, "", "v", true, &v, &err), 1);
    assert_string_equal(v[1], "b");
    assert_null(v[2]);
    rl_strv_free(v);
    assert_error(rl_json_strv(o, "", "bad", true, &v, &err), &err, "bad[1]: expected a string");
}

/* Jobs run in children, at once: three 0.3 s jobs with max 3 take about
 * 0.3 s, not 0.9; results and errors come back in order; a job that leaves a
 * process holding its pipe does not hang the parent; one that dies is named. */
static int par_job(size_t i, void *ctx, rl_error_t *err)
{
    (void)ctx;
    if (i == 1) return rl_error_set(err, EACCES, "job %zu failed", i), err->exit = 7, -1;
    if (i == 2) {
        if (fork() == 0) sleep(3), _exit(0); /* holds the result pipe */
        return 2;
    }
    if (i == 3) _exit(9); /* dies without a word */
    usleep(300 * 1000);
    return (int)i;
}

static void parallel_runs_at_once_in_order(void **state)
{
    (void)state;
    rl_parallel_result_t res[5];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    rl_parallel_run(5, 8, par_job, NULL, res);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(took < 1.5); /* not the 3 s of the process left holding the pipe */
    assert_int_equal(res[0].r, 0);
    assert_int_equal(res[1].r, -1);
    assert_string_equal(res[1].err.msg, "job 1 failed: permission denied");
    assert_int_equal(res[1].err.exit, 7);
    assert_int_equal(res[1].err.code, EACCES);
    assert_int_equal(res[1].err.kind, RL_ERR_PERMISSION); /* the kind crosses the pipe too */
    assert_int_equal(res[2].r, 2);
    assert_int_equal(res[3].r, -1);
    assert_string_equal(res[3].err.msg, "a worker process died before it reported");
    assert_int_equal(res[4].r, 4);
    for (int i = 0; i < 5; i++)
        rl_error_clear(&res[i].err);
    /* max 1: one after the other, still in order */
    rl_parallel_run(3, 1, par_job, NULL, res);
    assert_int_equal(res[0].r, 0);
    assert_int_equal(res[2].r, 2);
    rl_error_clear(&res[1].err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_set_wrap),
        cmocka_unit_test(error_kinds),
        cmocka_unit_test(evloop_sources),
        cmocka_unit_test(error_pack_roundtrip_and_hostile),
        cmocka_unit_test(parallel_runs_at_once_in_order),
        cmocka_unit_test(strbuf_grows),
        cmocka_unit_test(fs_atomic_mkdir_rm),
        cmocka_unit_test(fs_read_lines_hostile),
        cmocka_unit_test(json_syntax_errors_name_line_and_column),
        cmocka_unit_test(json_parse_is_bounded_by_len),
        cmocka_unit_test(json_typed_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
