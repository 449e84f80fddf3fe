/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/runtime pieces that need no container: mount options, seccomp
 * compilation, container ids, process start times. */
#include <json-c/json.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/runtime/mountopts.h"
#include "pkg/runtime/seccomp.h"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include "pkg/runtime/state.h"
#include "pkg/runtime/sync.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/proc.h"
#include "pkg/util/xalloc.h"
#include "unit.h"

/* A child's error reaches the parent as it was made: message, errno, kind
 * and exit code; a child that dies says so; a wrong message is named. */
static void sync_carries_a_childs_error(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    pid_t pid = fork();
    if (pid == 0) {
        rl_error_t e = RL_ERROR_INIT;
        rl_error_setk(&e, RL_ERR_NOT_FOUND, ENOENT, "exec 'nothere'");
        e.exit = 127;
        rl_sync_fail(sv[1], 3, &e);
    }
    close(sv[1]);
    rl_error_t err = RL_ERROR_INIT;
    rl_sync_msg_t m;
    assert_int_equal(rl_sync_expect(sv[0], RL_SYNC_READY, &m, &err), -1);
    assert_string_equal(err.msg, "exec 'nothere': no such file or directory");
    assert_int_equal(err.code, ENOENT);
    assert_int_equal(err.kind, RL_ERR_NOT_FOUND);
    assert_int_equal(err.exit, 127);
    rl_error_clear(&err);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_int_equal(WEXITSTATUS(st), 3);
    /* the peer gone without a word */
    assert_error(rl_sync_expect(sv[0], RL_SYNC_READY, &m, &err), &err, "exited unexpectedly");
    close(sv[0]);
    /* a message of the wrong type */
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    assert_int_equal(rl_sync_send(sv[1], RL_SYNC_PID, 42, NULL, -1, &err), 0);
    assert_error(rl_sync_expect(sv[0], RL_SYNC_READY, &m, &err), &err, "unexpected message");
    close(sv[0]), close(sv[1]);
}

/* What rl oci features says the runtime takes, the parsers take: every
 * mount option, and every seccomp action, operator and flag in a profile. */
static void features_are_the_parsers_tables(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autostrv char **opts = rl_mount_opts_names();
    assert_true(rl_strv_contains(opts, "tmpcopyup"));
    assert_false(rl_strv_contains(opts, "idmap")); /* refused: not said */
    for (size_t i = 0; opts[i]; i++) {
        char *one[] = {opts[i], NULL};
        rl_mount_opts_t o;
        if (rl_mount_opts_parse(one, &o, &err) < 0) fail_msg("%s: %s", opts[i], err.msg);
        assert_null(o.data); /* a known option, not fs data */
        rl_mount_opts_clear(&o);
    }
    rl_autostrv char **acts = rl_seccomp_names(RL_SECCOMP_ACTIONS);
    rl_autostrv char **ops = rl_seccomp_names(RL_SECCOMP_OPERATORS);
    rl_autostrv char **flags = rl_seccomp_names(RL_SECCOMP_FLAGS);
    rl_autostrv char **archs = rl_seccomp_names(RL_SECCOMP_ARCHS);
    assert_true(rl_strv_contains(archs, "SCMP_ARCH_X86_64"));
    for (size_t i = 0; acts[i]; i++)
        for (size_t k = 0; ops[k]; k++) {
            bool notify = !strcmp(acts[i], "SCMP_ACT_NOTIFY");
            rl_autofree char *text =
                xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"%s\"],%s"
                          "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"%s\","
                          "\"args\":[{\"index\":0,\"value\":1,\"op\":\"%s\"}]}]}",
                          flags[k % rl_strv_len(flags)], notify ? "\"listenerPath\":\"/x\"," : "",
                          acts[i], ops[k]);
            rl_autojson json_object *j = json_tokener_parse(text);
            rl_seccomp_t sc;
            if (rl_seccomp_compile(j, "linux.seccomp", &sc, &err) < 0)
                fail_msg("%s/%s: %s", acts[i], ops[k], err.msg);
            rl_seccomp_clear(&sc);
        }
}

static void mount_options(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_mount_opts_t o;
    char *opts[] = {"rbind", "ro", "nosuid", "nodev", "rprivate", "mode=755", "size=64k", "", NULL};
    assert_int_equal(rl_mount_opts_parse(opts, &o, &err), 0);
    assert_true(o.bind && o.recursive);
    assert_true(o.flags == (MS_RDONLY | MS_NOSUID | MS_NODEV));
    assert_true(o.propagation == (MS_PRIVATE | MS_REC));
    assert_string_equal(o.data, "mode=755,size=64k");
    rl_mount_opts_clear(&o);
    /* the last of two contradicting options wins, as in mount(8) */
    char *flip[] = {"ro", "rw", "exec", "noexec", NULL};
    assert_int_equal(rl_mount_opts_parse(flip, &o, &err), 0);
    assert_true(o.flags == MS_NOEXEC);
    assert_true(o.clear == MS_RDONLY);
    assert_null(o.data);
    rl_mount_opts_clear(&o);
    char *rro[] = {"rro", "rnosuid", NULL};
    assert_int_equal(rl_mount_opts_parse(rro, &o, &err), 0);
    assert_true(o.rec_attr_set != 0);
    rl_mount_opts_clear(&o);
    char *idmap[] = {"idmap", NULL};
    assert_error(rl_mount_opts_parse(idmap, &o, &err), &err,
                 "mount option 'idmap' is not supported");
    char *comma[] = {"size=1,mode=2", NULL};
    assert_error(rl_mount_opts_parse(comma, &o, &err), &err, "contains a comma");
}

static int compile(const char *text, rl_seccomp_t *sc, rl_error_t *err)
{
    rl_autojson json_object *o = rl_json_parse(text, strlen(text), "seccomp", err);
    assert_non_null(o);
    return rl_seccomp_compile(o, "linux.seccomp", sc, err);
}

static void seccomp_compiles(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_seccomp_t sc;
    const char *profile =
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
        "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
        "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_TSYNC\"],"
        "\"syscalls\":[{\"names\":[\"read\",\"write\",\"no_such_syscall_xyz\"],\"action\":\"SCMP_"
        "ACT_ALLOW\"},"
        "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
        "{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":8,\"op\":\"SCMP_"
        "CMP_EQ\"}]},"
        "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
        "{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
        "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
        "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_LOG\"},"
        "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_TRAP\"},"
        "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":5},"
        "{\"names\":[\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}";
    assert_int_equal(compile(profile, &sc, &err), 0);
    assert_true(sc.len > 10);
    assert_false(sc.notify);
    rl_seccomp_clear(&sc);
    assert_int_equal(
        compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/x\","
                "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
                &sc, &err),
        0);
    assert_true(sc.notify);
    assert_string_equal(sc.listener_path, "/run/x");
    rl_seccomp_clear(&sc);
}

/* The userspace evaluation the exec trampoline relies on (seccomp_eval.c). */
static void seccomp_eval(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_seccomp_t sc;
    const uint64_t none[6] = {0}, empty_path[6] = {3, 0, 0, 0, 0x1000, 0};
    uint32_t r;
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
                             "\"syscalls\":[{\"names\":[\"execveat\",\"capset\"],"
                             "\"action\":\"SCMP_ACT_ALLOW\"}]}",
                             &sc, &err),
                     0);
    assert_int_equal(rl_seccomp_eval(&sc, SYS_execveat, empty_path, &r), 0);
    assert_int_equal(r & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ALLOW);
    assert_int_equal(rl_seccomp_eval(&sc, SYS_mkdir, none, &r), 0);
    assert_int_equal(r, SECCOMP_RET_ERRNO | 1);
    assert_true(rl_seccomp_returns(&sc, SYS_mkdir, none));
    rl_seccomp_clear(&sc);
    /* a killing default: execveat must not be tried */
    assert_int_equal(compile("{\"defaultAction\":\"SCMP_ACT_KILL\",\"syscalls\":[{\"names\":["
                             "\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                             &sc, &err),
                     0);
    assert_false(rl_seccomp_returns(&sc, SYS_execveat, empty_path));
    assert_true(rl_seccomp_returns(&sc, SYS_read, none));
    rl_seccomp_clear(&sc);
    /* argument conditions are followed: AT_EMPTY_PATH (0x1000) in arg 4 kills */
    assert_int_equal(
        compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"execveat\"],"
                "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":4,\"value\":4096,"
                "\"valueTwo\":4096,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                &sc, &err),
        0);
    assert_false(rl_seccomp_returns(&sc, SYS_execveat, empty_path));
    assert_true(rl_seccomp_returns(&sc, SYS_execveat, none));
    rl_seccomp_clear(&sc);
    assert_true(rl_seccomp_returns(NULL, SYS_execveat, none));
}

static void seccomp_hostile(void **state)
{
    (void)state;
    const struct {
        const char *text, *want;
    } cases[] = {
        {"{}", "linux.seccomp.defaultAction: required but missing"},
        {"{\"defaultAction\":\"ALLOW\"}", "unknown action 'ALLOW'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":99999}",
         "defaultErrnoRet: 99999 out of range"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86_64\"]}",
         "unknown architecture 'x86_64'"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_BOGUS\"]}",
         "unknown flag"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\"}]}",
         "syscalls[0].names: required"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":"
         "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_ALMOST\"}]}]}",
         "unknown operator 'SCMP_CMP_ALMOST'"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":"
         "\"SCMP_ACT_ERRNO\",\"args\":[{\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
         "args[0].index: required"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":"
         "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
         "value: must not be negative"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":"
         "\"SCMP_ACT_NOTIFY\"}]}",
         "SCMP_ACT_NOTIFY needs listenerPath"},
        {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[7]}",
         "syscalls[0]: expected an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_seccomp_t sc;
        if (compile(cases[i].text, &sc, &err) == 0) fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        rl_error_clear(&err);
    }
}

static void container_ids(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_state_validate_id("abc-1.2_3+x", &err), 0);
    assert_int_equal(rl_state_validate_id(
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &err),
                     0);
    const char *bad[] = {"", ".", "..", "/", "a/b", "a b", "a\nb", "../x", "x;rm", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (rl_state_validate_id(bad[i], &err) == 0) fail_msg("accepted '%s'", bad[i]);
        rl_error_clear(&err);
    }
    char *longid = malloc(1026);
    memset(longid, 'a', 1025);
    longid[1025] = '\0';
    assert_error(rl_state_validate_id(longid, &err), &err, "longer than 1024");
    longid[1024] = '\0';
    assert_int_equal(rl_state_validate_id(longid, &err), 0);
    free(longid);
}

static void start_time_tells_pids_apart(void **state)
{
    (void)state;
    unsigned long long t1, t2;
    char st;
    assert_int_equal(rl_proc_stat(getpid(), &st, NULL, &t1), 0);
    assert_int_equal(rl_proc_stat(getpid(), NULL, NULL, &t2), 0);
    assert_true(t1 == t2);
    assert_true(st == 'R' || st == 'S');
    assert_int_equal(rl_proc_stat(1, NULL, NULL, &t2), 0);
    assert_true(t2 <= t1);
    assert_int_equal(rl_proc_stat(-5, NULL, NULL, &t2), -1);
    rl_state_t s = {.pid = getpid(), .start_time = t1};
    assert_true(rl_state_alive(&s)); /* a state without a boot id: any boot */
    s.start_time = t1 + 1;           /* the same pid, another process: not ours */
    assert_false(rl_state_alive(&s));
    s.start_time = t1;
    s.boot_id = "00000000-0000-0000-0000-000000000000"; /* recorded in another boot */
    assert_false(rl_state_alive(&s));
    char boot[40];
    rl_proc_boot_id(boot);
    assert_int_equal(strlen(boot), 36);
    s.boot_id = boot;
    assert_true(rl_state_alive(&s));
}

/* The one wait for a process that is not our child. */
static void wait_gone_sees_exit(void **state)
{
    (void)state;
    rl_proc_id_t me;
    assert_int_equal(rl_proc_id_of(getpid(), &me), 0);
    assert_false(rl_proc_wait_gone(&me, 10)); /* still here after 10 ms */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        _exit(0);
    }
    rl_proc_id_t child;
    assert_int_equal(rl_proc_id_of(pid, &child), 0);
    assert_true(rl_proc_same(&child));
    assert_true(rl_proc_wait_gone(&child, 5000)); /* a zombie is gone */
    waitpid(pid, NULL, 0);
    assert_false(rl_proc_same(&child));
    assert_true(rl_proc_wait_gone(&child, 0));
    rl_proc_id_t other = me;
    other.start++;
    assert_true(rl_proc_wait_gone(&other, 1000)); /* a reused pid is not it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sync_carries_a_childs_error),
        cmocka_unit_test(features_are_the_parsers_tables),
        cmocka_unit_test(mount_options),
        cmocka_unit_test(seccomp_compiles),
        cmocka_unit_test(seccomp_hostile),
        cmocka_unit_test(seccomp_eval),
        cmocka_unit_test(container_ids),
        cmocka_unit_test(start_time_tells_pids_apart),
        cmocka_unit_test(wait_gone_sees_exit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
