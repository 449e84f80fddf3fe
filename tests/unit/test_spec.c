/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/spec: config.json parsing, good and hostile. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/spec/build.h"
#include "pkg/spec/default.h"
#include "pkg/spec/spec.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "unit.h"

static bool env_has(char **env, const char *kv)
{
    for (size_t i = 0; env && env[i]; i++)
        if (!strcmp(env[i], kv)) return true;
    return false;
}

/* The environment's layers: image, --env-host, rl's defaults less
 * --unsetenv(-all), --env-file, -e. */
static void env_layers(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    char *img_env[] = {"IMG=1", "KEEP=img", NULL};
    rl_image_config_t img = {.env = img_env};
    setenv("RL_UNIT_HOST", "h", 1);
    char *e1[] = {"KEEP=e", NULL}, *un[] = {"IMG", NULL};
    rl_spec_run_opts_t o = {.env_host = true, .env = e1, .unsetenv = un};
    rl_autostrv char **env = rl_spec_env(&img, &o, "/root", "host1", &err);
    assert_non_null(env);
    assert_true(env_has(env, "RL_UNIT_HOST=h")); /* --env-host */
    assert_true(env_has(env, "KEEP=e"));         /* -e over the image */
    assert_false(env_has(env, "IMG=1"));         /* --unsetenv */
    assert_true(env_has(env, "HOSTNAME=host1"));
    rl_spec_run_opts_t all = {.unsetenv_all = true, .env = e1};
    rl_autostrv char **only = rl_spec_env(&img, &all, "/root", "host1", &err);
    assert_non_null(only);
    assert_int_equal(rl_strv_len(only), 2); /* HOSTNAME (as podman's) and -e's */
    assert_string_equal(only[0], "HOSTNAME=host1");
    assert_string_equal(only[1], "KEEP=e");
    rl_spec_run_opts_t none = {.unsetenv_all = true};
    rl_autostrv char **empty = rl_spec_env(&img, &none, "/root", "host1", &err);
    assert_non_null(empty); /* HOSTNAME alone, not an error */
    assert_null(empty[1]);
    unsetenv("RL_UNIT_HOST");
}

static char bundle[] = "/tmp/rl-unit-spec-XXXXXX";

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(bundle)) return -1;
    rl_autofree char *rootfs = xasprintf("%s/rootfs", bundle);
    return mkdir(rootfs, 0755);
}

static int teardown(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    return rl_fs_rm_rf(bundle, &err);
}

static json_object *base(void)
{
    rl_error_t err = RL_ERROR_INIT;
    json_object *o = rl_spec_default(false, &err);
    assert_non_null(o);
    return o;
}

/* Apply a change as JSON text at a top-level key, parse, return the spec. */
static rl_spec_t *parse_with(const char *key, const char *value, rl_error_t *err)
{
    rl_autojson json_object *o = base();
    if (key) {
        json_object *v = value ? json_tokener_parse(value) : NULL;
        if (value && !v) fail_msg("test JSON '%s' does not parse", value);
        json_object_object_add(o, key, v);
    }
    return rl_spec_parse(o, bundle, err);
}

static void default_spec_parses(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_spec_t *s = parse_with(NULL, NULL, &err);
    assert_non_null(s);
    assert_true(s->has_process);
    assert_string_equal(s->process.args[0], "sh");
    assert_true(s->ns[RL_NS_PID].wanted);
    assert_false(s->ns[RL_NS_USER].wanted);
    assert_true(s->process.caps.present);
    /* podman's 11 default capabilities */
    assert_true(s->process.caps.sets[RL_CAP_BOUNDING] == 0x800405fbULL);
    assert_int_equal(s->n_mounts, 7);
    assert_string_equal(s->rootfs_propagation, "rslave");
    assert_int_equal(s->process.user.umask, -1);
    assert_true(s->root_readonly);
    rl_spec_free(s);
}

/* found by fuzz_spec: no "linux" key at all read an uninitialised pointer */
static void spec_without_linux_parses(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_spec_t *s = parse_with("linux", NULL, &err);
    assert_non_null(s);
    assert_false(s->ns[RL_NS_MOUNT].wanted);
    assert_non_null(s->masked_paths);
    assert_null(s->masked_paths[0]);
    rl_spec_free(s);
}

static void rootless_spec_has_a_user_namespace(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *o = rl_spec_default(true, &err);
    assert_non_null(o);
    rl_spec_t *s = rl_spec_parse(o, bundle, &err);
    assert_non_null(s);
    assert_true(s->ns[RL_NS_USER].wanted);
    assert_true(s->n_uid_maps >= 1);
    assert_int_equal(s->uid_maps[0].container_id, 0);
    assert_int_equal(s->uid_maps[0].host_id, geteuid());
    rl_spec_free(s);
}

static void process_fields(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_spec_t *s =
        parse_with("process",
                   "{\"terminal\":true,\"consoleSize\":{\"height\":24,\"width\":80},"
                   "\"user\":{\"uid\":1000,\"gid\":100,\"umask\":18,\"additionalGids\":[5,6]},"
                   "\"args\":[\"a\",\"b\"],\"env\":[\"A=1\"],\"cwd\":\"/w\","
                   "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20}],"
                   "\"oomScoreAdj\":-500,\"noNewPrivileges\":true,"
                   "\"capabilities\":{\"ambient\":[\"CAP_KILL\"]}}",
                   &err);
    assert_non_null(s);
    const rl_spec_process_t *p = &s->process;
    assert_true(p->terminal);
    assert_int_equal(p->console_height, 24);
    assert_int_equal(p->user.uid, 1000);
    assert_int_equal(p->user.gid, 100);
    assert_int_equal(p->user.umask, 022);
    assert_int_equal(p->user.n_gids, 2);
    assert_int_equal(p->user.gids[1], 6);
    assert_string_equal(p->cwd, "/w");
    assert_int_equal(p->n_rlimits, 1);
    assert_true(p->rlimits[0].hard == 20);
    assert_true(p->has_oom_score_adj);
    assert_int_equal(p->oom_score_adj, -500);
    assert_true(p->caps.sets[RL_CAP_AMBIENT] == (1ULL << 5));
    rl_spec_free(s);
}

static void hostile_specs_name_the_path(void **state)
{
    (void)state;
    const struct {
        const char *key, *value, *want;
    } cases[] = {
        {"ociVersion", "5", "ociVersion: expected a string"},
        {"ociVersion", NULL, "ociVersion: required but missing"},
        {"root", "{\"path\":\"\"}", "root.path: must not be empty"},
        {"root", "{\"path\":\"nope\"}", "root.path: rootfs"},
        {"root", "[]", "root: expected an object"},
        {"process", "{\"args\":[]}", "process.args: must not be empty"},
        {"process", "{\"args\":[\"a\"],\"cwd\":\"rel\"}",
         "process.cwd: 'rel' is not an absolute path"},
        {"process", "{\"args\":[\"a\"],\"env\":[\"NOEQUALS\"]}",
         "process.env[0]: 'NOEQUALS' is not NAME=VALUE"},
        {"process", "{\"args\":[\"a\"],\"env\":[\"=x\"]}", "is not NAME=VALUE"},
        {"process", "{\"args\":[\"a\"],\"user\":{\"uid\":4294967296}}",
         "process.user.uid: 4294967296 out of range"},
        {"process", "{\"args\":[\"a\"],\"user\":{\"additionalGids\":[\"x\"]}}",
         "process.user.additionalGids[0]: expected a gid"},
        {"process",
         "{\"args\":[\"a\"],\"rlimits\":[{\"type\":\"RLIMIT_FOO\",\"soft\":1,\"hard\":1}]}",
         "unknown rlimit 'RLIMIT_FOO'"},
        {"process",
         "{\"args\":[\"a\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":2,\"hard\":1}]}",
         "soft limit is above the hard limit"},
        {"process", "{\"args\":[\"a\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\"}]}",
         "soft and hard are required"},
        {"process", "{\"args\":[\"a\"],\"oomScoreAdj\":1001}",
         "process.oomScoreAdj: 1001 out of range"},
        {"process", "{\"args\":[\"a\"],\"capabilities\":{\"bounding\":[\"cap_chown\"]}}",
         "unknown capability 'cap_chown'"},
        {"process", "{\"args\":[\"a\"],\"capabilities\":{\"bounding\":[\"CAP_\"]}}",
         "unknown capability 'CAP_'"},
        {"process", "{\"args\":[\"a\"],\"consoleSize\":{\"height\":70000}}",
         "process.consoleSize.height"},
        {"mounts", "[{\"type\":\"tmpfs\"}]", "mounts[0].destination: required but missing"},
        {"mounts", "[{\"destination\":\"\"}]", "mounts[0].destination: must not be empty"},
        {"mounts", "[5]", "mounts[0]: expected an object"},
        {"linux", "{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}",
         "namespace 'pid' listed twice"},
        {"linux", "{\"namespaces\":[{\"type\":\"net\"}]}",
         "linux.namespaces[0].type: unknown namespace 'net'"},
        {"linux", "{\"namespaces\":[{\"type\":\"pid\",\"path\":\"rel\"}]}",
         "is not an absolute path"},
        {"linux", "{\"uidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":1}]}",
         "id mappings need a user namespace"},
        {"linux",
         "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,\"hostID\":1,"
         "\"size\":0}],\"gidMappings\":[]}",
         "linux.uidMappings[0].size: 0 out of range"},
        {"linux",
         "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,\"hostID\":1,"
         "\"size\":5},{\"containerID\":2,\"hostID\":100,\"size\":5}],\"gidMappings\":[{"
         "\"containerID\":0,\"hostID\":1,\"size\":1}]}",
         "container ids of ranges 0 and 1 overlap"},
        {"linux",
         "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,\"size\":5}],"
         "\"gidMappings\":[]}",
         "containerID, hostID and size are required"},
        {"linux", "{\"devices\":[{\"path\":\"dev/x\",\"type\":\"c\"}]}",
         "linux.devices[0].path: 'dev/x' is not absolute"},
        {"linux", "{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"q\"}]}",
         "linux.devices[0].type: 'q' is not one of c, b, u, p"},
        {"linux", "{\"timeOffsets\":{\"boottime\":{\"secs\":1}}}",
         "time offsets need a time namespace"},
        {"linux",
         "{\"namespaces\":[{\"type\":\"time\"}],\"timeOffsets\":{\"boottime\":{\"nanosecs\":"
         "1000000000}}}",
         "nanosecs: 1000000000 out of range"},
        {"linux", "{\"sysctl\":{\"a.b\":1}}", "linux.sysctl.a.b: expected a string"},
        {"linux", "{\"maskedPaths\":[1]}", "linux.maskedPaths[0]: expected a string"},
        {"annotations", "{\"a\":1}", "annotations.a: expected a string"},
        {"hostname",
         "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
         "longer than 64 bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_spec_t *s = parse_with(cases[i].key, cases[i].value, &err);
        if (s) fail_msg("case %zu (%s) accepted", i, cases[i].want);
        if (!err.msg || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg ? err.msg : "(none)", cases[i].want);
        rl_error_clear(&err);
    }
}

static void load_names_the_file(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *cfg = xasprintf("%s/config.json", bundle);
    assert_int_equal(rl_fs_write_atomic(cfg, "{\"ociVersion\": [", 16, 0644, &err), 0);
    assert_null(rl_spec_load(bundle, &err));
    assert_non_null(strstr(err.msg, "config.json: invalid JSON at line 1"));
    rl_error_clear(&err);
    assert_null(rl_spec_load("/nonexistent/bundle", &err));
    assert_string_equal(err.msg, "bundle '/nonexistent/bundle': no such file or directory");
    rl_error_clear(&err);
    unlink(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_layers),
        cmocka_unit_test(default_spec_parses),
        cmocka_unit_test(spec_without_linux_parses),
        cmocka_unit_test(rootless_spec_has_a_user_namespace),
        cmocka_unit_test(process_fields),
        cmocka_unit_test(hostile_specs_name_the_path),
        cmocka_unit_test(load_names_the_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
