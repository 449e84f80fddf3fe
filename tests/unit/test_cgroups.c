/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/cgroups: the cgroup v2 path on a fake cgroup tree (this kind of host
 * has cgroup v1, where rootless limits cannot be applied at all). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/cgroups/cgroups.h"
#include "pkg/cgroups/stats.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "unit.h"

static char root[] = "/tmp/rl-unit-cg-XXXXXX";
#define SVC  "/user.slice/user-1000.slice/user@1000.service"
#define SELF "0::" SVC "/app.slice/term.scope\n"

static void put(const char *rel, const char *data)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *p = xasprintf("%s%s", root, rel);
    rl_autofree char *dir = xstrdup(p);
    *strrchr(dir, '/') = '\0';
    assert_int_equal(rl_fs_mkdir_p(dir, 0755, &err), 0);
    assert_int_equal(rl_fs_write_atomic(p, data, strlen(data), 0644, &err), 0);
}

static char *get(const char *rel)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *p = xasprintf("%s%s", root, rel);
    char *data = NULL;
    if (rl_fs_read_file(p, 4096, &data, NULL, &err) < 0) fail_msg("%s", err.msg);
    return data;
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(root)) return -1;
    /* what systemd delegates to a user: user@UID.service and below */
    put(SVC "/cgroup.controllers", "cpu memory pids\n");
    put(SVC "/cgroup.subtree_control", "");
    put(SVC "/app.slice/term.scope/cgroup.procs", "123\n");
    put("/user.slice/cgroup.controllers", "cpu memory pids io\n");
    put("/cgroup.controllers", "cpu memory pids io\n");
    put("/cgroup.subtree_control", "");
    /* rl/ as an earlier container left it (the kernel fills these in) */
    put(SVC "/rl/cgroup.controllers", "memory pids\n");
    put("/rl/cgroup.controllers", "memory pids\n");
    put(SVC "/rl/cgroup.subtree_control", "");
    put("/rl/cgroup.subtree_control", "");
    /* above the delegation point the user may not write */
    rl_autofree char *us = xasprintf("%s/user.slice", root);
    rl_autofree char *uu = xasprintf("%s/user.slice/user-1000.slice", root);
    chmod(uu, 0555);
    chmod(us, 0555);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *us = xasprintf("%s/user.slice", root);
    rl_autofree char *uu = xasprintf("%s/user.slice/user-1000.slice", root);
    chmod(us, 0755);
    chmod(uu, 0755);
    return rl_fs_rm_rf(root, &err);
}

static json_object *res(const char *text)
{
    rl_error_t err = RL_ERROR_INIT;
    json_object *o = rl_json_parse(text, strlen(text), "resources", &err);
    assert_non_null(o);
    return o;
}

static void limits_translate_to_v2(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *r =
        res("{\"memory\":{\"limit\":1048576,\"swap\":2097152,\"reservation\":-1},"
            "\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,\"cpus\":\"0-1\"},"
            "\"pids\":{\"limit\":0},\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
            "\"unified\":{\"memory.high\":\"900000\"}}");
    rl_cgroup_limits_t l;
    assert_int_equal(rl_cgroup_limits_parse(r, &l, &err), 0);
    const char *want[][2] = {
        {"memory.max", "1048576"}, {"memory.low", "max"},       {"memory.swap.max", "1048576"},
        {"cpu.weight", "39"},      {"cpu.max", "50000 100000"}, {"cpuset.cpus", "0-1"},
        {"pids.max", "max"},       {"memory.high", "900000"}};
    assert_int_equal(l.n, 8);
    for (size_t i = 0; i < l.n; i++) {
        assert_string_equal(l.files[i], want[i][0]);
        assert_string_equal(l.values[i], want[i][1]);
    }
    assert_string_equal(l.first, "linux.resources.memory.limit");
    rl_cgroup_limits_clear(&l);
}

static void limits_hostile(void **state)
{
    (void)state;
    const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"memory\":{\"limit\":\"1g\"}}", "linux.resources.memory.limit: expected an integer"},
        {"{\"memory\":{\"limit\":100,\"swap\":50}}", "swap: must be -1 or at least memory.limit"},
        {"{\"cpu\":{\"shares\":1}}", "shares: 1 is outside 2..262144"},
        {"{\"cpu\":{\"quota\":1000,\"period\":10}}", "period: must be between 1000 and 1000000"},
        {"{\"unified\":{\"../escape\":\"1\"}}", "invalid file name '../escape'"},
        {"{\"unified\":{\"memory.max\":5}}", "unified.memory.max: expected a string"},
        {"{\"blockIO\":{\"weight\":10}}", "linux.resources.blockIO: not supported by rl"},
        {"{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":1}]}",
         "hugepageLimits: not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_cgroup_limits_t l;
        rl_autojson json_object *r = res(cases[i].text);
        if (rl_cgroup_limits_parse(r, &l, &err) == 0) fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        rl_error_clear(&err);
    }
}

static void no_limits_no_cgroup(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_t *cg = (rl_cgroup_t *)1;
    rl_autojson json_object *r = res("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
    assert_int_equal(rl_cgroup_prepare_at(root, false, SELF, 1000, r, "c1", &cg, &err), 0);
    assert_null(cg);
    assert_int_equal(rl_cgroup_prepare_at(root, true, SELF, 1000, NULL, "c1", &cg, &err), 0);
    assert_null(cg);
}

static void v1_refuses_limits(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_t *cg = NULL;
    rl_autojson json_object *r = res("{\"pids\":{\"limit\":100}}");
    assert_error(rl_cgroup_prepare_at(root, false, SELF, 1000, r, "c1", &cg, &err), &err,
                 "linux.resources.pids.limit: cannot apply resource limits");
    assert_null(cg);
}

static void v2_delegated_subtree_gets_limits(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_t *cg = NULL;
    /* the fake tree belongs to whoever runs the test: delegate to that uid */
    rl_autojson json_object *r = res("{\"memory\":{\"limit\":268435456},\"pids\":{\"limit\":64}}");
    char self[512];
    snprintf(self, sizeof self, "%s", SELF);
    if (rl_cgroup_prepare_at(root, true, self, geteuid(), r, "c1", &cg, &err) < 0)
        fail_msg("%s", err.msg);
    assert_non_null(cg);
    rl_autofree char *want =
        geteuid() ? xasprintf("%s" SVC "/rl/c1", root) : xasprintf("%s/rl/c1", root);
    assert_string_equal(cg->path, want);
    rl_autofree char *rel = xstrdup(cg->path + strlen(root));
    rl_autofree char *mem = xasprintf("%s/memory.max", rel);
    rl_autofree char *pids = xasprintf("%s/pids.max", rel);
    char *v = get(mem);
    assert_string_equal(v, "268435456");
    free(v);
    v = get(pids);
    assert_string_equal(v, "64");
    free(v);
    /* the controllers were enabled on the way down */
    rl_autofree char *sub = xasprintf("%s/cgroup.subtree_control", rel);
    *strrchr(sub, '/') = '\0';
    *strrchr(sub, '/') = '\0';
    rl_autofree char *ctl = xasprintf("%s/cgroup.subtree_control", sub);
    v = get(ctl);
    assert_non_null(strstr(v, "+pids")); /* the last controller enabled on the way down */
    free(v);
    assert_int_equal(rl_cgroup_enter(cg, 4242, &err), 0);
    rl_autofree char *procs = xasprintf("%s/cgroup.procs", rel);
    v = get(procs);
    assert_string_equal(v, "4242");
    free(v);
    rl_cgroup_free(cg);
}

static void v2_missing_controller_is_named(void **state)
{
    (void)state;
    /* root uses the tree's root, with other controllers (skip before
     * allocating: skip() jumps past the cleanup) */
    if (geteuid() == 0) skip();
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_t *cg = NULL;
    rl_autojson json_object *r = res("{\"cpu\":{\"cpus\":\"0\"}}");
    assert_error(rl_cgroup_prepare_at(root, true, SELF, geteuid(), r, "c2", &cg, &err), &err,
                 "the 'cpuset' controller is not delegated to this user");
}

static void v2_without_delegation_is_refused(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_t *cg = NULL;
    rl_autojson json_object *r = res("{\"memory\":{\"limit\":1048576}}");
    /* a uid that owns nothing in the tree (an ssh session scope) */
    assert_error(rl_cgroup_prepare_at(root, true,
                                      "0::/user.slice/user-4242.slice/session-1.scope\n", 4242, r,
                                      "c3", &cg, &err),
                 &err, "no cgroup is delegated to uid 4242");
}

/* rl stats: the v2 files of the container's cgroup; v1 refused */
static void stats_from_v2_files(void **state)
{
    (void)state;
    put(SVC "/app.slice/stats1/cpu.stat", "usage_usec 2500000\nuser_usec 2000000\n");
    put(SVC "/app.slice/stats1/memory.current", "1048576\n");
    put(SVC "/app.slice/stats1/memory.max", "max\n");
    put(SVC "/app.slice/stats1/pids.current", "3\n");
    rl_error_t err = RL_ERROR_INIT;
    rl_cgroup_stats_t st;
    const char *self = "0::" SVC "/app.slice/stats1\n";
    assert_int_equal(rl_cgroup_stats_at(root, true, self, &st, &err), 0);
    assert_int_equal(st.cpu_usec, 2500000);
    assert_int_equal(st.mem_current, 1048576);
    assert_int_equal(st.mem_max, 0);
    assert_int_equal(st.pids, 3);
    put(SVC "/app.slice/stats1/memory.max", "268435456\n");
    assert_int_equal(rl_cgroup_stats_at(root, true, self, &st, &err), 0);
    assert_int_equal(st.mem_max, 268435456);
    /* v1, a hybrid /proc/PID/cgroup, a missing controller, a hostile path */
    const char *bad[][2] = {{"0", self},
                            {"1", "12:memory:/user.slice\n1:name=systemd:/x\n"},
                            {"1", "0::" SVC "/rl/none\n"},
                            {"1", "0::/../../etc\n"}};
    for (size_t i = 0; i < 4; i++) {
        rl_error_clear(&err);
        assert_int_equal(rl_cgroup_stats_at(root, bad[i][0][0] == '1', bad[i][1], &st, &err), -1);
        assert_non_null(strstr(err.msg, "stats: "));
    }
    rl_error_clear(&err);
}

static void devices_parse_and_lines(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_dev_rules_t d;
    rl_autojson json_object *r =
        res("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
            "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"wrw\"},"
            "{\"allow\":true,\"type\":\"b\",\"major\":8},{\"allow\":false,\"type\":\"c\"}]}");
    assert_int_equal(rl_cgroup_devices_parse(r, &d, &err), 0);
    assert_int_equal(d.n, 4);
    const char *want[] = {"a", "c 10:229 wr", "b 8:* rwm", "c *:* rwm"};
    for (size_t i = 0; i < d.n; i++) {
        char line[80];
        rl_cgroup_device_line(&d.v[i], line, sizeof line);
        assert_string_equal(line, want[i]);
    }
    /* deny everything (of a class) and allows hold without a device cgroup */
    assert_int_equal(rl_cgroup_devices_unenforced(&d, "here", &err), 0);
    rl_cgroup_devices_clear(&d);
    rl_autojson json_object *one =
        res("{\"devices\":[{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":3}]}");
    assert_int_equal(rl_cgroup_devices_parse(one, &d, &err), 0);
    assert_error(rl_cgroup_devices_unenforced(&d, "without root", &err), &err,
                 "linux.resources.devices[0]: cannot deny 'c 1:3 rwm' without root");
    rl_cgroup_devices_clear(&d);
}

static void devices_hostile(void **state)
{
    (void)state;
    const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"devices\":{}}", "linux.resources.devices: expected an array"},
        {"{\"devices\":[1]}", "devices[0]: expected an object"},
        {"{\"devices\":[{}]}", "devices[0].allow: required"},
        {"{\"devices\":[{\"allow\":\"yes\"}]}", "devices[0].allow"},
        {"{\"devices\":[{\"allow\":true,\"type\":\"ab\"}]}", "type: 'ab': expected a, c or b"},
        {"{\"devices\":[{\"allow\":true,\"type\":\"\"}]}", "type: '': expected a, c or b"},
        {"{\"devices\":[{\"allow\":true,\"access\":\"\"}]}", "devices[0].access: empty"},
        {"{\"devices\":[{\"allow\":true,\"access\":\"r\\nw\"}]}", "only r, w and m"},
        {"{\"devices\":[{\"allow\":true,\"major\":-2}]}", "devices[0].major"},
        {"{\"devices\":[{\"allow\":true,\"minor\":4294967296}]}", "devices[0].minor"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_dev_rules_t d;
        rl_autojson json_object *r = res(cases[i].text);
        if (rl_cgroup_devices_parse(r, &d, &err) == 0) fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        assert_null(d.v);
        rl_error_clear(&err);
    }
}

/* root on v1: the rules in order, then /dev's own devices, at cgroupsPath */
static void devices_v1_root_writes_rules(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_spec_t spec = {0};
    rl_spec_device_t fuse = {.path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229};
    spec.devices = &fuse;
    spec.n_devices = 1;
    spec.resources =
        res("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
            "{\"allow\":false,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"w\"}]}");
    rl_cgroup_t *cg = NULL;
    spec.cgroups_path = "/ctrs/c1";
    assert_int_equal(rl_cgroup_devices_prepare_at(root, false, "", true, &spec, "c1", &cg, &err),
                     0);
    assert_non_null(cg);
    rl_autofree char *want = xasprintf("%s/devices/ctrs/c1", root);
    assert_string_equal(cg->path, want);
    rl_autofree char *deny = get("/devices/ctrs/c1/devices.deny");
    rl_autofree char *allow = get("/devices/ctrs/c1/devices.allow");
    /* a plain file keeps the last write: the spec's devices come last */
    assert_string_equal(deny, "b 8:0 w");
    assert_string_equal(allow, "c 10:229 rwm");
    rl_cgroup_free(cg);
    /* relative: below our own devices cgroup; none: rl/<name> there */
    spec.cgroups_path = "rel";
    assert_int_equal(rl_cgroup_devices_prepare_at(root, false, "3:devices:/mine\n", true, &spec,
                                                  "c1", &cg, &err),
                     0);
    rl_autofree char *rel = xasprintf("%s/devices/mine/rel", root);
    assert_string_equal(cg->path, rel);
    rl_cgroup_free(cg);
    spec.cgroups_path = NULL;
    assert_int_equal(
        rl_cgroup_devices_prepare_at(root, false, "3:devices:/\n", true, &spec, "c1", &cg, &err),
        0);
    rl_autofree char *def = xasprintf("%s/devices/rl/c1", root);
    assert_string_equal(cg->path, def);
    rl_cgroup_free(cg);
    const char *bad[] = {"../up", "/a/../../up", "slice:rl:c1"};
    for (size_t i = 0; i < 3; i++) {
        spec.cgroups_path = (char *)bad[i];
        assert_int_equal(
            rl_cgroup_devices_prepare_at(root, false, "", true, &spec, "c1", &cg, &err), -1);
        assert_null(cg);
        assert_non_null(strstr(err.msg, "linux.cgroupsPath"));
        rl_error_clear(&err);
    }
    /* not root (or root of a user namespace only): nothing is made */
    assert_error(rl_cgroup_devices_prepare_at(root, false, "", false, &spec, "c1", &cg, &err), &err,
                 "cannot deny 'b 8:0 w' without root");
    assert_null(cg);
    /* root on v2 would need an eBPF program: the deny is refused, not ignored */
    spec.cgroups_path = NULL;
    assert_error(rl_cgroup_devices_prepare_at(root, true, "", true, &spec, "c1", &cg, &err), &err,
                 "cannot deny 'b 8:0 w' on cgroup v2");
    json_object_put(spec.resources);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_translate_to_v2),
        cmocka_unit_test(stats_from_v2_files),
        cmocka_unit_test(limits_hostile),
        cmocka_unit_test(no_limits_no_cgroup),
        cmocka_unit_test(v1_refuses_limits),
        cmocka_unit_test(v2_delegated_subtree_gets_limits),
        cmocka_unit_test(v2_missing_controller_is_named),
        cmocka_unit_test(v2_without_delegation_is_refused),
        cmocka_unit_test(devices_parse_and_lines),
        cmocka_unit_test(devices_hostile),
        cmocka_unit_test(devices_v1_root_writes_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
