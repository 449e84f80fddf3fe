/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/engine: what needs no container process: finding containers by name
 * and prefix in a store of our own, the kinds of the errors verbs act on,
 * the spec extras of rl run, containers.conf, names, inspect's network
 * fields. */
#include <fcntl.h>
#include <json-c/json.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pkg/engine/containers_conf.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/inspect_net.h"
#include "pkg/engine/names.h"
#include "pkg/engine/run.h"
#include "pkg/engine/spec_extras.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "storage/containers.h"
#include "storage/images.h"
#include "unit.h"

#define IMAGE_ID "1111111111111111111111111111111111111111111111111111111111111111"
#define WEB_ID   "aaaa000000000000000000000000000000000000000000000000000000000001"
#define DB_ID    "aabb000000000000000000000000000000000000000000000000000000000002"

typedef struct fixture {
    char dir[64];
    rl_store_t *s;
} fixture_t;

static int add_ctr(rl_store_t *s, const char *id, const char *name, const char *network)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_ctr_rec_t r = {.id = (char *)id,
                      .name = (char *)name,
                      .image_id = IMAGE_ID,
                      .created = "2026-12-08T00:00:00Z",
                      .driver = "overlay"};
    if (rl_net_mode_parse(network, &r.network, &err) < 0) fail_msg("%s", err.msg);
    int rc = rl_ctr_create(s, &r, &err);
    if (rc < 0) fail_msg("create %s: %s", name, err.msg);
    return rc;
}

/* A store in a directory of our own with one image and two containers,
 * web and db (db joins web's network), neither ever started. */
static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/rl-engine-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    rl_error_t err = RL_ERROR_INIT;
    if (!(f->s = rl_store_open(f->dir, &err))) return -1;
    rl_store_image_t img = {.id = IMAGE_ID, .arch = "amd64", .os = "linux"};
    if (rl_store_image_commit(f->s, &img, "{}", "{}", &err) < 0) return -1;
    add_ctr(f->s, WEB_ID, "web", NULL);
    add_ctr(f->s, DB_ID, "db", "container:" WEB_ID);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    rl_store_free(f->s);
    rl_error_t err = RL_ERROR_INIT;
    rl_fs_rm_rf(f->dir, &err);
    rl_error_clear(&err);
    free(f);
    return 0;
}

static void find_by_name_id_and_prefix(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    char id[65];
    assert_int_equal(rl_engine_ctr_find(f->s, "web", id, &err), 0);
    assert_string_equal(id, WEB_ID);
    assert_int_equal(rl_engine_ctr_find(f->s, DB_ID, id, &err), 0);
    assert_string_equal(id, DB_ID);
    assert_int_equal(rl_engine_ctr_find(f->s, "aab", id, &err), 0); /* a unique prefix */
    assert_string_equal(id, DB_ID);
    /* a prefix of both: refused, not a guess */
    assert_int_equal(rl_engine_ctr_find(f->s, "aa", id, &err), -1);
    assert_non_null(strstr(err.msg, "more than one container id starts with 'aa'"));
    assert_false(rl_error_is(&err, RL_ERR_NOT_FOUND));
    rl_error_clear(&err);
    /* missing: the kind rm's exit code 1 and inspect's image fallback test */
    assert_int_equal(rl_engine_ctr_find(f->s, "nosuch", id, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_NOT_FOUND));
    assert_string_equal(err.msg, "no container with name or id 'nosuch' (see rl ps -a)");
    rl_error_clear(&err);
}

static void created_containers_have_state_and_a_name_once(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    rl_ctr_rec_t rec;
    rl_ctr_state_t st;
    assert_int_equal(rl_engine_ctr_get(f->s, WEB_ID, &rec, &st, &err), 0);
    assert_string_equal(rec.name, "web");
    assert_int_equal(rl_ctr_state_live(&st), RL_CTR_CREATED);
    rl_ctr_rec_clear(&rec);
    rl_ctr_state_clear(&st);
    /* a second container named web: refused with the kind run retries on */
    rl_ctr_rec_t dup = {.id = "cccc000000000000000000000000000000000000000000000000000000000003",
                        .name = "web",
                        .image_id = IMAGE_ID,
                        .created = "2026-12-08T00:00:00Z",
                        .driver = "overlay"};
    assert_int_equal(rl_ctr_create(f->s, &dup, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_EXISTS));
    rl_error_clear(&err);
}

/* What rl run parsed comes back from container.json typed, as it was:
 * restart policy, log driver, sd_notify mode, network mode. */
static void record_keeps_policies_typed(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    rl_ctr_rec_t r = {.id = "dddd000000000000000000000000000000000000000000000000000000000004",
                      .name = "svc",
                      .image_id = IMAGE_ID,
                      .created = "2026-12-08T00:00:00Z",
                      .driver = "overlay",
                      .log_driver = RL_LOG_PASSTHROUGH,
                      .sdnotify = RL_SDNOTIFY_CONMON,
                      .restart = {RL_RESTART_ON_FAILURE, 3}};
    assert_int_equal(rl_net_mode_parse("slirp4netns:enable_ipv6=true,mtu=1500", &r.network, &err),
                     0);
    assert_int_equal(rl_ctr_create(f->s, &r, &err), 0);
    rl_ctr_rec_t back;
    assert_int_equal(rl_ctr_read(f->s, r.id, &back, &err), 0);
    assert_int_equal(back.log_driver, RL_LOG_PASSTHROUGH);
    assert_int_equal(back.sdnotify, RL_SDNOTIFY_CONMON);
    assert_int_equal(back.restart.kind, RL_RESTART_ON_FAILURE);
    assert_int_equal(back.restart.max, 3);
    assert_int_equal(back.network.kind, RL_NET_SLIRP);
    assert_true(back.network.enable_ipv6);
    assert_false(back.network.allow_host_loopback);
    assert_int_equal(back.network.mtu, 1500);
    rl_ctr_rec_clear(&back);
    /* the defaults are left out of the record and come back as defaults */
    assert_int_equal(rl_ctr_read(f->s, WEB_ID, &back, &err), 0);
    assert_int_equal(back.log_driver, RL_LOG_K8S_FILE);
    assert_int_equal(back.sdnotify, RL_SDNOTIFY_CONTAINER);
    assert_int_equal(back.restart.kind, RL_RESTART_NO);
    assert_int_equal(back.network.kind, RL_NET_SLIRP);
    assert_int_equal(back.network.mtu, 65520);
    rl_ctr_rec_clear(&back);
    /* the joiner's record names web by id */
    assert_int_equal(rl_ctr_read(f->s, DB_ID, &back, &err), 0);
    assert_int_equal(back.network.kind, RL_NET_CONTAINER);
    assert_string_equal(back.network.container, WEB_ID);
    rl_ctr_rec_clear(&back);
    /* a record that says something rl cannot read is an error naming it */
    rl_autofree char *p = rl_ctr_path(f->s, WEB_ID, "container.json");
    const char *bad = "{\"id\":\"x\",\"name\":\"x\",\"image\":\"x\",\"restart\":\"sometimes\"}";
    assert_int_equal(rl_fs_write_atomic(p, bad, strlen(bad), 0600, &err), 0);
    assert_error(rl_ctr_read(f->s, WEB_ID, &back, &err), &err, "--restart 'sometimes'");
}

static void network_modes_format_as_they_parse(void **state)
{
    (void)state;
    static const char *const modes[] = {
        "none",
        "host",
        "container:" WEB_ID,
        "slirp4netns:allow_host_loopback=true",
        "slirp4netns:enable_ipv6=true",
        "slirp4netns:allow_host_loopback=true,enable_ipv6=true,mtu=9000",
        "slirp4netns:mtu=1280"};
    rl_error_t err = RL_ERROR_INIT;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        rl_net_mode_t m, again;
        assert_int_equal(rl_net_mode_parse(modes[i], &m, &err), 0);
        rl_autofree char *text = rl_net_mode_format(&m);
        assert_string_equal(text, modes[i]);
        assert_int_equal(rl_net_mode_parse(text, &again, &err), 0);
        assert_memory_equal(&m, &again, sizeof m);
    }
    rl_net_mode_t d;
    assert_int_equal(rl_net_mode_parse("slirp", &d, &err), 0);
    assert_null(rl_net_mode_format(&d)); /* the default: left out */
}

static void policies_parse_and_name(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_ctr_restart_t r;
    assert_int_equal(rl_ctr_restart_parse("unless-stopped", &r, &err), 0);
    assert_int_equal(r.kind, RL_RESTART_UNLESS_STOPPED);
    assert_string_equal(rl_ctr_restart_name(r.kind), "unless-stopped");
    rl_autofree char *f1 = rl_ctr_restart_format(&r);
    assert_string_equal(f1, "unless-stopped");
    assert_int_equal(rl_ctr_restart_parse("on-failure", &r, &err), 0);
    rl_autofree char *f2 = rl_ctr_restart_format(&r);
    assert_string_equal(f2, "on-failure");
    assert_int_equal(rl_ctr_restart_parse("no", &r, &err), 0);
    assert_null(rl_ctr_restart_format(&r));
    assert_error(rl_ctr_restart_parse("on-failure:x", &r, &err), &err, "retry count");
    rl_ctr_log_driver_t d;
    assert_int_equal(rl_ctr_log_driver_parse("none", &d, &err), 0);
    assert_string_equal(rl_ctr_log_driver_name(d), "none");
    assert_int_equal(rl_ctr_log_driver_parse("journald", &d, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_UNSUPPORTED));
    rl_error_clear(&err);
    rl_ctr_sdnotify_t m;
    assert_int_equal(rl_ctr_sdnotify_parse("ignore", &m, &err), 0);
    assert_string_equal(rl_ctr_sdnotify_name(m), "ignore");
    assert_error(rl_ctr_sdnotify_parse("healthy", &m, &err), &err,
                 "use container, conmon or ignore");
}

static void rm_refuses_a_container_others_join(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    /* db uses --network container:web: web stays, and says why (prune skips it by kind) */
    assert_int_equal(rl_engine_rm(f->s, WEB_ID, false, 0, NULL, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_BUSY));
    assert_non_null(strstr(err.msg, "has dependent containers"));
    assert_non_null(strstr(err.msg, "aabb00000000"));
    rl_error_clear(&err);
    char id[65];
    assert_int_equal(rl_engine_ctr_find(f->s, "web", id, &err), 0);
}

static void stored_spec_fields(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *p = rl_ctr_path(f->s, WEB_ID, "config.json");
    const char *spec = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"httpd\",\"-f\"]},"
                       "\"annotations\":{\"org.opencontainers.image.stopSignal\":\"SIGQUIT\","
                       "\"team\":\"web\"}}";
    assert_int_equal(rl_fs_write_atomic(p, spec, strlen(spec), 0600, &err), 0);
    rl_spec_stored_t s;
    assert_int_equal(rl_engine_ctr_spec(f->s, WEB_ID, &s, &err), 0);
    assert_string_equal(s.args[0], "httpd");
    assert_string_equal(s.args[1], "-f");
    assert_null(s.args[2]);
    assert_string_equal(rl_spec_stored_annotation(&s, "team"), "web");
    assert_null(rl_spec_stored_annotation(&s, "tea"));
    assert_int_equal(rl_spec_stored_stop_signal(&s), SIGQUIT);
    rl_spec_stored_clear(&s);
    /* a hostile stored spec is an error, not a crash */
    const char *bad = "{\"annotations\":{\"team\":7}}";
    assert_int_equal(rl_fs_write_atomic(p, bad, strlen(bad), 0600, &err), 0);
    assert_error(rl_engine_ctr_spec(f->s, WEB_ID, &s, &err), &err, "annotations.team");
    /* none: not found */
    assert_int_equal(rl_engine_ctr_spec(f->s, DB_ID, &s, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_NOT_FOUND));
    rl_error_clear(&err);
}

static void pull_policies(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_engine_pull_policy_t p;
    assert_int_equal(rl_engine_pull_policy_parse("never", &p, &err), 0);
    assert_int_equal(p, RL_PULL_NEVER);
    assert_int_equal(rl_engine_pull_policy_parse("newer", &p, &err), 0);
    assert_int_equal(p, RL_PULL_NEWER);
    assert_int_equal(rl_engine_pull_policy_parse("Always", &p, &err), -1);
    assert_true(rl_error_is(&err, RL_ERR_INVALID));
    assert_string_equal(err.msg, "--pull 'Always': use missing, always, never or newer");
    rl_error_clear(&err);
    assert_error(rl_engine_pull_policy_parse("", &p, &err), &err, "--pull ''");
}

static void random_names(void **state)
{
    (void)state;
    regex_t re;
    assert_int_equal(regcomp(&re, "^[a-z]+_[a-z]+$", REG_EXTENDED | REG_NOSUB), 0);
    rl_autofree char *first = rl_engine_random_name();
    bool differ = false;
    for (int i = 0; i < 50; i++) {
        rl_autofree char *n = rl_engine_random_name();
        assert_int_equal(regexec(&re, n, 0, NULL, 0), 0);
        rl_error_t err = RL_ERROR_INIT;
        assert_int_equal(rl_ctr_name_check(n, &err), 0);
        differ |= strcmp(n, first) != 0;
    }
    regfree(&re);
    assert_true(differ);
}

static json_object *bare_spec(void)
{
    return json_tokener_parse("{\"process\":{\"args\":[\"sh\",\"-c\",\"true\"],\"env\":[\"A=1\"]},"
                              "\"hostname\":\"box\",\"mounts\":[]}");
}

static const char *mount_src(json_object *spec, const char *dst)
{
    json_object *mounts = NULL;
    json_object_object_get_ex(spec, "mounts", &mounts);
    for (size_t i = 0; i < json_object_array_length(mounts); i++) {
        json_object *m = json_object_array_get_idx(mounts, i), *d = NULL, *s = NULL;
        json_object_object_get_ex(m, "destination", &d);
        json_object_object_get_ex(m, "source", &s);
        if (!strcmp(json_object_get_string(d), dst)) return json_object_get_string(s);
    }
    return NULL;
}

static void spec_extras(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *spec = bare_spec();
    /* --init: the init in front, bound read-only */
    rl_engine_spec_init(spec, "/usr/bin/catatonit");
    json_object *proc = NULL, *args = NULL, *env = NULL;
    json_object_object_get_ex(spec, "process", &proc);
    json_object_object_get_ex(proc, "args", &args);
    assert_int_equal(json_object_array_length(args), 5);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(args, 0)),
                        RL_INIT_IN_CONTAINER);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(args, 1)), "--");
    assert_string_equal(json_object_get_string(json_object_array_get_idx(args, 2)), "sh");
    assert_string_equal(mount_src(spec, RL_INIT_IN_CONTAINER), "/usr/bin/catatonit");
    /* --sdnotify=container: a socket, not any file */
    assert_error(rl_engine_spec_notify(spec, "/etc/passwd", &err), &err, "needs a socket file");
    char sock[96];
    snprintf(sock, sizeof sock, "%.60s/notify.sock", f->dir);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(rl_engine_spec_notify(spec, sock, &err), 0);
    close(fd);
    json_object_object_get_ex(proc, "env", &env);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(env, 1)),
                        "NOTIFY_SOCKET=" RL_NOTIFY_IN_CONTAINER);
    assert_string_equal(mount_src(spec, RL_NOTIFY_IN_CONTAINER), sock);
}

static void spec_etc_files(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *spec = bare_spec();
    rl_spec_run_opts_t o = {.name = "web", .network = "none"};
    assert_int_equal(rl_engine_spec_etc(spec, f->dir, &o, false, &err), 0);
    char p[128];
    snprintf(p, sizeof p, "%s/hostname", f->dir);
    rl_autofree char *text = NULL;
    size_t len;
    assert_int_equal(rl_fs_read_file(p, 4096, &text, &len, &err), 0);
    assert_string_equal(text, "box\n");
    assert_string_equal(mount_src(spec, "/etc/hostname"), p);
    assert_non_null(mount_src(spec, "/etc/hosts"));
    assert_non_null(mount_src(spec, "/etc/resolv.conf"));
    /* --no-hosts and the host's uts namespace (no hostname): neither file */
    rl_autojson json_object *bare = json_tokener_parse("{\"process\":{},\"mounts\":[]}");
    o.no_hosts = true;
    assert_int_equal(rl_engine_spec_etc(bare, f->dir, &o, false, &err), 0);
    assert_null(mount_src(bare, "/etc/hosts"));
    assert_null(mount_src(bare, "/etc/hostname"));
    assert_non_null(mount_src(bare, "/etc/resolv.conf"));
    /* a network mode that does not parse: nothing written */
    o.network = "bridge:nonsense";
    assert_int_equal(rl_engine_spec_etc(bare, f->dir, &o, false, &err), -1);
    rl_error_clear(&err);
}

static void find_init(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    assert_null(rl_engine_find_init("relative/init", &err));
    assert_non_null(strstr(err.msg, "--init-path 'relative/init'"));
    rl_error_clear(&err);
    assert_null(rl_engine_find_init("/etc/passwd", &err)); /* not executable */
    rl_error_clear(&err);
    rl_autofree char *sh = rl_engine_find_init("/bin/sh", &err);
    assert_string_equal(sh, "/bin/sh");
}

static void containers_conf(void **state)
{
    fixture_t *f = *state;
    rl_error_t err = RL_ERROR_INIT;
    char p[128];
    snprintf(p, sizeof p, "%s/containers.conf", f->dir);
    setenv("CONTAINERS_CONF", p, 1);
    const char *good = "[containers]\nlog_size_max = 1048576\n[engine]\nruntime = \"runc\"\n";
    assert_int_equal(rl_fs_write_atomic(p, good, strlen(good), 0600, &err), 0);
    rl_engine_containers_conf_t c;
    assert_int_equal(rl_engine_containers_conf_load(&c, &err), 0);
    assert_int_equal(c.log_size_max, 1048576);
    const char *unlimited = "[containers]\nlog_size_max = -1\n";
    assert_int_equal(rl_fs_write_atomic(p, unlimited, strlen(unlimited), 0600, &err), 0);
    assert_int_equal(rl_engine_containers_conf_load(&c, &err), 0);
    assert_int_equal(c.log_size_max, 0);
    const char *broken = "[containers\nlog_size_max = 1\n";
    assert_int_equal(rl_fs_write_atomic(p, broken, strlen(broken), 0600, &err), 0);
    assert_int_equal(rl_engine_containers_conf_load(&c, &err), -1);
    assert_non_null(strstr(err.msg, "containers.conf"));
    rl_error_clear(&err);
    unsetenv("CONTAINERS_CONF");
}

static void inspect_network_fields(void **state)
{
    (void)state;
    rl_ctr_rec_t r = {0};
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_net_mode_parse("none", &r.network, &err), 0);
    rl_autojson json_object *m = rl_engine_inspect_netmode(&r);
    assert_string_equal(json_object_get_string(m), "none");
    assert_int_equal(rl_net_mode_parse(NULL, &r.network, &err), 0);
    rl_autojson json_object *d = rl_engine_inspect_netmode(&r);
    assert_string_equal(json_object_get_string(d), "slirp4netns");
    char *ports[] = {"127.0.0.1:8080:80/tcp", "0.0.0.0:5353:53/udp", NULL};
    rl_autojson json_object *p = rl_engine_inspect_ports(ports);
    assert_string_equal(json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN),
                        "{\"80\\/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}],"
                        "\"53\\/udp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"5353\"}]}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(find_by_name_id_and_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(created_containers_have_state_and_a_name_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rm_refuses_a_container_others_join, setup, teardown),
        cmocka_unit_test_setup_teardown(record_keeps_policies_typed, setup, teardown),
        cmocka_unit_test(network_modes_format_as_they_parse),
        cmocka_unit_test(policies_parse_and_name),
        cmocka_unit_test_setup_teardown(stored_spec_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(spec_extras, setup, teardown),
        cmocka_unit_test_setup_teardown(spec_etc_files, setup, teardown),
        cmocka_unit_test_setup_teardown(containers_conf, setup, teardown),
        cmocka_unit_test(pull_policies),
        cmocka_unit_test(random_names),
        cmocka_unit_test(find_init),
        cmocka_unit_test(inspect_network_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
