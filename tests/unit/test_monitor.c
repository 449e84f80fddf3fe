/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/monitor: the k8s-file log writer and parsers, hostile inputs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "pkg/monitor/detachkeys.h"
#include "pkg/monitor/log.h"
#include "pkg/monitor/restart.h"
#include "storage/ctr_policy.h"
#include "pkg/monitor/trim.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "unit.h"

static void log_lines_and_partials(void **state)
{
    (void)state;
    char dir[] = "/tmp/rl-unit-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    rl_autofree char *path = xasprintf("%s/ctr.log", dir);
    rl_mon_log_t log;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_mon_log_open(path, 0, &log, &err), 0);
    rl_mon_log_write(&log, "stdout", "one\ntwo\nthr", 11);
    rl_mon_log_write(&log, "stderr", "ee\n", 3);
    rl_mon_log_close(&log);
    rl_autofree char *text = NULL;
    assert_int_equal(rl_fs_read_file(path, 1 << 20, &text, NULL, &err), 0);
    const char *want[] = {"stdout F one", "stdout F two", "stdout P thr", "stderr F ee"};
    char *line = text;
    for (int i = 0; i < 4; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        rl_mon_log_rec_t r;
        assert_int_equal(rl_mon_log_parse_line(line, (size_t)(nl - line), &r), 0);
        /* after the time: stream, flag, text exactly */
        assert_int_equal(strncmp(line + r.time_len + 1, want[i], strlen(want[i])), 0);
        assert_int_equal((size_t)(nl - (line + r.time_len + 1)), strlen(want[i]));
        line = nl + 1;
    }
    unlink(path);
    rmdir(dir);
}

static void write_in_zone(const char *path, const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
    rl_mon_log_t log;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_mon_log_open(path, 0, &log, &err), 0);
    rl_mon_log_write(&log, "stdout", "x\n", 2);
    rl_mon_log_close(&log);
    unsetenv("TZ");
    tzset();
}

/* Stamps are local time with the zone's offset, minutes included, and
 * name the moment they were written. */
static void log_stamps_local_time(void **state)
{
    (void)state;
    char dir[] = "/tmp/rl-unit-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    rl_autofree char *path = xasprintf("%s/ctr.log", dir);
    const char *zones[] = {"XYZ-5:45", "ABC+3:30", "UTC0"};
    const char *offs[] = {"+05:45 ", "-03:30 ", "+00:00 "};
    for (int i = 0; i < 3; i++) {
        struct timespec before, after;
        clock_gettime(CLOCK_REALTIME, &before);
        write_in_zone(path, zones[i]);
        clock_gettime(CLOCK_REALTIME, &after);
        rl_autofree char *text = NULL;
        rl_error_t err = RL_ERROR_INIT;
        assert_int_equal(rl_fs_read_file(path, 1 << 20, &text, NULL, &err), 0);
        rl_mon_log_rec_t r;
        assert_int_equal(rl_mon_log_parse_line(text, strlen(text) - 1, &r), 0);
        assert_int_equal(r.time_len, strlen("2026-11-23T17:51:02.123456789+05:45"));
        assert_memory_equal(text + r.time_len - 6, offs[i], 7);
        assert_true(r.ts.tv_sec >= before.tv_sec && r.ts.tv_sec <= after.tv_sec);
        unlink(path);
    }
    rmdir(dir);
}

static void log_rotates_past_max_size(void **state)
{
    (void)state;
    char dir[] = "/tmp/rl-unit-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    rl_autofree char *path = xasprintf("%s/ctr.log", dir);
    rl_autofree char *old = xasprintf("%s/ctr.log.1", dir);
    rl_mon_log_t log;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_mon_log_open(path, 4096, &log, &err), 0);
    char chunk[100];
    memset(chunk, 'x', sizeof chunk - 1);
    chunk[sizeof chunk - 1] = '\n';
    for (int i = 0; i < 100; i++)
        rl_mon_log_write(&log, "stdout", chunk, sizeof chunk);
    rl_mon_log_close(&log);
    struct stat a, b;
    assert_int_equal(stat(path, &a), 0);
    assert_int_equal(stat(old, &b), 0);
    assert_true(a.st_size <= 4096 && b.st_size <= 4096);
    unlink(path), unlink(old), rmdir(dir);
}

static void log_parse_hostile(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "garbage",
                         "2024-01-02T03:04:05Z",
                         "2024-01-02T03:04:05Z stdout",
                         "2024-01-02T03:04:05Z stdin F x",
                         "2024-01-02T03:04:05Z stdout X x",
                         "2024-13-02T03:04:05Z stdout F x",
                         "2024-01-02T03:04:05.Z stdout F x",
                         "2024-01-02T03:04:05+1:00 stdout F x",
                         "20x4-01-02T03:04:05Z stdout F x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_mon_log_rec_t r;
        if (rl_mon_log_parse_line(bad[i], strlen(bad[i]), &r) == 0)
            fail_msg("accepted '%s'", bad[i]);
    }
    rl_mon_log_rec_t r;
    const char *ok = "2024-01-02T03:04:05.5+01:00 stderr F a b  c";
    assert_int_equal(rl_mon_log_parse_line(ok, strlen(ok), &r), 0);
    assert_true(r.is_stderr);
    assert_int_equal(r.ts.tv_sec, 1704161045);
    assert_int_equal(r.ts.tv_nsec, 500000000);
    assert_int_equal(r.text_len, 6);
}

static void times_and_options(void **state)
{
    (void)state;
    struct timespec now = {1000000, 0}, t;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_mon_log_parse_time("1h30m", now, &t, &err), 0);
    assert_int_equal(t.tv_sec, 1000000 - 5400);
    assert_int_equal(rl_mon_log_parse_time("2024-01-02T03:04:05Z", now, &t, &err), 0);
    assert_int_equal(t.tv_sec, 1704164645);
    const char *bad_t[] = {"", "yesterday", "10", "-5m", "1y", "5m3", "2024-01-02T03:04:05"};
    for (size_t i = 0; i < sizeof bad_t / sizeof bad_t[0]; i++) {
        if (rl_mon_log_parse_time(bad_t[i], now, &t, &err) == 0)
            fail_msg("accepted '%s'", bad_t[i]);
        rl_error_clear(&err);
    }
    int64_t max;
    assert_int_equal(rl_mon_log_opt_parse("max-size=10m", &max, &err), 0);
    assert_int_equal(max, 10 * 1024 * 1024);
    const char *bad_o[] = {"max-size=",
                           "max-size=0",
                           "max-size=-1k",
                           "max-size=1q",
                           "max-size=1k",
                           "size=1m",
                           "max-size=99999999999999999999g"};
    for (size_t i = 0; i < sizeof bad_o / sizeof bad_o[0]; i++) {
        if (rl_mon_log_opt_parse(bad_o[i], &max, &err) == 0) fail_msg("accepted '%s'", bad_o[i]);
        rl_error_clear(&err);
    }
    rl_ctr_log_driver_t d;
    assert_int_equal(rl_ctr_log_driver_parse("none", &d, &err), 0);
    assert_int_equal(d, RL_LOG_NONE);
    assert_int_equal(rl_ctr_log_driver_parse("syslog", &d, &err), -1);
    rl_error_clear(&err);
}

/* --detach-keys: podman's syntax, the matcher holding back a prefix */
static void detach_keys(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_mon_detach_keys_t k;
    assert_int_equal(rl_mon_detach_keys_parse("ctrl-p,ctrl-q", &k, &err), 0);
    assert_int_equal(k.len, 2);
    assert_int_equal(k.seq[0], 16);
    assert_int_equal(k.seq[1], 17);
    assert_int_equal(rl_mon_detach_keys_parse("ctrl-@,ctrl-[,ctrl-_,a", &k, &err), 0);
    assert_memory_equal(k.seq,
                        "\0\x1b\x1f"
                        "a",
                        4);
    assert_int_equal(rl_mon_detach_keys_parse("", &k, &err), 0);
    assert_int_equal(k.len, 0);
    const char *bad[] = {"ctrl-", "ctrl-1",  "ctrl-pp", "ab",
                         ",",     "ctrl-p,", "a,,b",    "a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (rl_mon_detach_keys_parse(bad[i], &k, &err) == 0) fail_msg("'%s' accepted", bad[i]);
        assert_non_null(strstr(err.msg, "--detach-keys"));
        rl_error_clear(&err);
    }
    unsigned char out[64];
    size_t n;
    assert_int_equal(rl_mon_detach_keys_parse("ctrl-p,ctrl-q", &k, &err), 0);
    /* a lone ctrl-p is held, then passed on with what follows */
    assert_false(rl_mon_detach_keys_feed(&k, (const unsigned char *)"ab\x10", 3, out, &n));
    assert_int_equal(n, 2);
    assert_false(rl_mon_detach_keys_feed(&k, (const unsigned char *)"c", 1, out, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(out,
                        "\x10"
                        "c",
                        2);
    /* ctrl-p ctrl-p ctrl-q: the first ctrl-p is input, then the sequence */
    assert_true(rl_mon_detach_keys_feed(&k, (const unsigned char *)"x\x10\x10\x11y", 5, out, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(out, "x\x10", 2);
    /* split across reads */
    assert_false(rl_mon_detach_keys_feed(&k, (const unsigned char *)"\x10", 1, out, &n));
    assert_true(rl_mon_detach_keys_feed(&k, (const unsigned char *)"\x11", 1, out, &n));
    assert_int_equal(n, 0);
    /* off: everything passes */
    assert_int_equal(rl_mon_detach_keys_parse("", &k, &err), 0);
    assert_false(rl_mon_detach_keys_feed(&k, (const unsigned char *)"\x10\x11", 2, out, &n));
    assert_int_equal(n, 2);
}

/* --restart values, the decision, the back-off */
static void restart_policy(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_ctr_restart_t r;
    assert_int_equal(rl_ctr_restart_parse(NULL, &r, &err), 0);
    assert_int_equal(r.kind, RL_RESTART_NO);
    assert_int_equal(rl_ctr_restart_parse("on-failure:3", &r, &err), 0);
    assert_int_equal(r.kind, RL_RESTART_ON_FAILURE);
    assert_int_equal(r.max, 3);
    assert_true(rl_mon_restart_wanted(&r, 1, 2));
    assert_false(rl_mon_restart_wanted(&r, 1, 3));
    assert_false(rl_mon_restart_wanted(&r, 0, 0));
    assert_int_equal(rl_ctr_restart_parse("unless-stopped", &r, &err), 0);
    assert_true(rl_mon_restart_wanted(&r, 0, 1000));
    const char *bad[] = {"sometimes",
                         "on-failure:",
                         "on-failure:-1",
                         "on-failure:x",
                         "on-failure:99999999999",
                         "always:3",
                         "on-failurex",
                         "NO"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (rl_ctr_restart_parse(bad[i], &r, &err) == 0) fail_msg("'%s' accepted", bad[i]);
        assert_non_null(strstr(err.msg, "--restart"));
        rl_error_clear(&err);
    }
    assert_int_equal(rl_mon_restart_delay_ms(0, 0), 100);
    assert_int_equal(rl_mon_restart_delay_ms(3, 50), 800);
    assert_int_equal(rl_mon_restart_delay_ms(50, 50), 10000);
    assert_int_equal(rl_mon_restart_delay_ms(50, 20000), 100);
}

/* Resident kB of the mapping that starts at addr (/proc/self/smaps). */
static long rss_of(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "re");
    char line[512], want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
    long rss = -1;
    bool in = false;
    while (f && fgets(line, sizeof line, f)) {
        if (strchr(line, '-') && strchr(line, ':') && line[0] != ' ' && !strstr(line, "kB"))
            in = strncmp(line, want, strlen(want)) == 0;
        if (in && sscanf(line, "Rss: %ld kB", &rss) == 1) break;
    }
    if (f) fclose(f);
    return rss;
}

/* The trim drops a read-only file mapping's pages, never a written one's. */
static void trim_drops_only_file_pages(void **state)
{
    (void)state;
    char path[] = "/tmp/rl-trim-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char buf[4096];
    memset(buf, 'f', sizeof buf);
    for (int i = 0; i < 16; i++)
        assert_int_equal(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
    unlink(path);
    volatile char *ro = mmap(NULL, 16 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    char *rw = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    assert_true(ro != MAP_FAILED && rw != MAP_FAILED);
    long sum = 0;
    for (int i = 0; i < 16; i++)
        sum += ro[i * 4096], rw[i * 4096] = 'w'; /* touched; rw's pages now its own */
    assert_true(sum > 0);
    assert_true(rss_of((const void *)ro) >= 64);
    rl_mon_trim();
    assert_int_equal(rss_of((const void *)ro), 0);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(ro[i * 4096], 'f'); /* back from the file */
        assert_int_equal(rw[i * 4096], 'w'); /* our writes kept */
    }
    munmap((void *)ro, 16 * 4096);
    munmap(rw, 16 * 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(log_lines_and_partials),
        cmocka_unit_test(log_stamps_local_time),
        cmocka_unit_test(log_rotates_past_max_size),
        cmocka_unit_test(log_parse_hostile),
        cmocka_unit_test(times_and_options),
        cmocka_unit_test(detach_keys),
        cmocka_unit_test(restart_policy),
        cmocka_unit_test(trim_drops_only_file_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
