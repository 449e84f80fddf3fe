/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/image: references, registries.conf (TOML), challenges, auth.json,
 * manifests, configs, platforms, with hostile input. */
#include <stdio.h>
#include <stdlib.h>

#include "pkg/transport/auth.h"
#include "pkg/transport/challenge.h"
#include "pkg/image/config.h"
#include "pkg/image/manifest.h"
#include "pkg/image/reference.h"
#include "pkg/transport/registries.h"
#include "pkg/util/toml.h"
#include "pkg/util/xalloc.h"
#include "unit.h"

static void norm(const char *in, const char *want)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_ref_t r;
    if (rl_ref_parse(in, &r, &err) < 0) fail_msg("'%s': %s", in, err.msg);
    rl_ref_normalize(&r);
    char *s = rl_ref_string(&r);
    if (strcmp(s, want)) fail_msg("'%s' → '%s', want '%s'", in, s, want);
    free(s);
    rl_ref_free(&r);
}

static void references_normalise(void **state)
{
    (void)state;
    norm("busybox", "docker.io/library/busybox:latest");
    norm("user/app:1.0", "docker.io/user/app:1.0");
    norm("docker.io/busybox", "docker.io/library/busybox:latest");
    norm("localhost/x", "localhost/x:latest");
    norm("localhost:5000/a/b/c:v-1.2_3", "localhost:5000/a/b/c:v-1.2_3");
    norm("127.0.0.1:5000/a", "127.0.0.1:5000/a:latest");
    norm("[::1]:5000/a:t", "[::1]:5000/a:t");
    norm("quay.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         "quay.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    norm("a__b.c-d---e", "docker.io/library/a__b.c-d---e:latest");
    rl_ref_t r;
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_ref_parse("busybox", &r, &err), 0);
    assert_true(rl_ref_is_short(&r));
    rl_ref_free(&r);
}

static void references_refuse_hostile(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_ref_t r;
    assert_error(rl_ref_parse("", &r, &err), &err, "empty image name");
    assert_error(rl_ref_parse("Busybox", &r, &err), &err, "must be lowercase");
    assert_error(rl_ref_parse("a//b", &r, &err), &err, "bad name component");
    assert_error(rl_ref_parse("a/../b", &r, &err), &err, "bad name component");
    assert_error(rl_ref_parse("-a", &r, &err), &err, "bad name component");
    assert_error(rl_ref_parse("a___b", &r, &err), &err, "bad name component");
    assert_error(rl_ref_parse("a:", &r, &err), &err, "bad tag");
    assert_error(rl_ref_parse("a:-x", &r, &err), &err, "bad tag");
    assert_error(rl_ref_parse("a@sha256:xyz", &r, &err), &err, "64 lowercase hex");
    assert_error(rl_ref_parse("a@md5:abcd", &r, &err), &err, "unsupported digest algorithm 'md5'");
    assert_error(rl_ref_parse("host:99999999/a", &r, &err), &err, "bad registry");
    assert_error(rl_ref_parse("-host.com/a", &r, &err), &err, "bad registry");
    char *longname = xcalloc(300, 1);
    memset(longname, 'a', 299);
    assert_error(rl_ref_parse(longname, &r, &err), &err, "longer than 255");
    free(longname);
}

static void toml_subset(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    const char *t = "# c\nx = \"a\\tb\\u00e9\" # trailing\ny = 'lit\\n'\nn = -42\nb = true\n"
                    "arr = [\n  \"1\", # one\n  \"2\",\n]\n[t.u]\nk = { a = 1, \"q k\" = [] }\n"
                    "[[list]]\nv = 1\n[[list]]\nv = 2\n[[list.sub]]\nw = 3\n";
    json_object *j = rl_toml_parse(t, strlen(t), "t.toml", &err);
    assert_non_null(j);
    const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
    assert_string_equal(s, "{\"x\":\"a\\tbé\",\"y\":\"lit\\\\n\",\"n\":-42,\"b\":true,"
                           "\"arr\":[\"1\",\"2\"],\"t\":{\"u\":{\"k\":{\"a\":1,\"q k\":[]}}},"
                           "\"list\":[{\"v\":1},{\"v\":2,\"sub\":[{\"w\":3}]}]}");
    json_object_put(j);
    struct {
        const char *text, *want;
    } bad[] = {
        {"x = ", "t:1:5: expected a value"},
        {"x = 1\nx = 2\n", "t:2:6: duplicate key"},
        {"x = \"open\n", "unterminated string"},
        {"x = [1, 2", "unterminated array"},
        {"[a\n", "expected ']'"},
        {"x = 1 y = 2\n", "expected the end of the line"},
        {"x = \"\\q\"\n", "unknown escape"},
        {"x = \"\\ud800\"\n", "bad unicode escape"},
        {"x = \"\"\"multi\"\"\"\n", "multi-line strings are not supported"},
        {"x = 1\n[x]\n", "key is not a table"},
        {"[[a]]\n[a]\n", "key is not a table"},
        {"x = nope\n", "expected a value"},
        {"x = 99999999999999999999999\n", "expected a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_error(rl_toml_parse(bad[i].text, strlen(bad[i].text), "t", &err) ? 0 : -1, &err,
                     bad[i].want);
    /* nesting cannot exhaust the stack */
    char deep[400];
    strcpy(deep, "x = ");
    for (int i = 0; i < 100; i++)
        strcat(deep, "[");
    assert_error(rl_toml_parse(deep, strlen(deep), "t", &err) ? 0 : -1, &err, "nested too deeply");
}

static void registries_resolve(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_registries_t r = {0};
    const char *conf =
        "unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
        "[[registry]]\nprefix = \"docker.io/library\"\nlocation = \"mirror.local/lib\"\n"
        "[[registry.mirror]]\nlocation = \"m1:5000/x\"\ninsecure = true\n"
        "[[registry]]\nlocation = \"bad.example\"\nblocked = true\n"
        "[aliases]\n\"fedora\" = \"registry.fedoraproject.org/fedora\"\n";
    assert_int_equal(rl_registries_parse(&r, conf, strlen(conf), "r.conf", &err), 0);
    char **names = NULL;
    assert_int_equal(rl_registries_candidates(&r, "busybox:1", &names, &err), 0);
    assert_string_equal(names[0], "quay.io/busybox:1");
    assert_string_equal(names[1], "docker.io/library/busybox:1");
    assert_null(names[2]);
    rl_strv_free(names);
    assert_int_equal(rl_registries_candidates(&r, "fedora", &names, &err), 0);
    assert_string_equal(names[0], "registry.fedoraproject.org/fedora:latest");
    rl_strv_free(names);
    rl_endpoint_t *eps;
    size_t n;
    assert_int_equal(rl_registries_endpoints(&r, "docker.io/library/busybox", &eps, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(eps[0].host, "m1:5000");
    assert_string_equal(eps[0].repo, "x/busybox");
    assert_true(eps[0].insecure);
    assert_string_equal(eps[1].host, "mirror.local");
    assert_string_equal(eps[1].repo, "lib/busybox");
    assert_false(eps[1].insecure);
    rl_endpoints_free(eps, n);
    assert_int_equal(rl_registries_endpoints(&r, "docker.io/libraryx/a", &eps, &n, &err), 0);
    assert_string_equal(eps[0].host, "docker.io");
    rl_endpoints_free(eps, n);
    assert_error(rl_registries_endpoints(&r, "bad.example/a", &eps, &n, &err), &err, "blocked");
    rl_registries_clear(&r);
    const char *bad = "[[registry]]\ninsecure = \"yes\"\nlocation = \"a\"\n";
    assert_error(rl_registries_parse(&r, bad, strlen(bad), "r.conf", &err), &err,
                 "registry[0].insecure");
    rl_registries_clear(&r);
    const char *none = "[[registry]]\ninsecure = true\n";
    assert_error(rl_registries_parse(&r, none, strlen(none), "r.conf", &err), &err,
                 "needs a location");
    rl_registries_clear(&r);
    assert_error(rl_registries_candidates(&r, "x", &names, &err), &err,
                 "no unqualified-search-registries");
}

static void challenges(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_challenge_t c;
    assert_int_equal(
        rl_challenge_parse(
            "Bearer realm=\"https://a/t\",service=\"s\\\"x\",scope=\"repository:a:pull\"", &c,
            &err),
        0);
    assert_string_equal(c.scheme, "bearer");
    assert_string_equal(c.realm, "https://a/t");
    assert_string_equal(c.service, "s\"x");
    assert_string_equal(c.scope, "repository:a:pull");
    rl_challenge_clear(&c);
    assert_int_equal(rl_challenge_parse("Basic realm=x", &c, &err), 0);
    assert_string_equal(c.scheme, "basic");
    rl_challenge_clear(&c);
    assert_error(rl_challenge_parse("", &c, &err), &err, "empty");
    assert_error(rl_challenge_parse("Bearer service=\"x\"", &c, &err), &err, "named no realm");
    assert_error(rl_challenge_parse("Bearer realm=\"open", &c, &err), &err, "malformed");
    assert_error(rl_challenge_parse("Bearer realm", &c, &err), &err, "malformed");
}

static void auth_json(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    char *b = NULL;
    const char *t = "{\"auths\":{\"example.com\":{\"auth\":\"aG9zdA==\"},\"example.com/"
                    "team\":{\"auth\":\"dGVhbQ==\"},"
                    "\"https://index.docker.io/v1/\":{\"auth\":\"aHVi\"}}}";
    assert_int_equal(rl_auth_lookup_text(t, strlen(t), "a.json", "example.com/team/app", &b, &err),
                     0);
    assert_string_equal(b, "dGVhbQ==");
    free(b);
    assert_int_equal(rl_auth_lookup_text(t, strlen(t), "a.json", "example.com/other", &b, &err), 0);
    assert_string_equal(b, "aG9zdA==");
    free(b);
    assert_int_equal(rl_auth_lookup_text(t, strlen(t), "a.json", "docker.io/library/x", &b, &err),
                     0);
    assert_string_equal(b, "aHVi");
    free(b);
    assert_int_equal(rl_auth_lookup_text(t, strlen(t), "a.json", "nothere.com/x", &b, &err), 0);
    assert_null(b);
    assert_error(rl_auth_lookup_text("[1]", 3, "a.json", "x/y", &b, &err), &err,
                 "a.json: expected");
    assert_error(rl_auth_lookup_text("{", 1, "a.json", "x/y", &b, &err), &err, "a.json");
}

#define D0 "sha256:0000000000000000000000000000000000000000000000000000000000000000"

static void manifests(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_manifest_t m;
    const char *man =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" D0 "\",\"size\":3},"
        "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
        "\"digest\":\"" D0 "\",\"size\":7}]}";
    assert_int_equal(rl_manifest_parse(man, strlen(man),
                                       "application/vnd.docker.distribution.manifest.v2+json", &m,
                                       &err),
                     0);
    assert_false(m.is_index);
    assert_int_equal(m.n_layers, 1);
    assert_int_equal(m.layers[0].size, 7);
    rl_manifest_clear(&m);
    const char *idx = "{\"schemaVersion\":2,\"mediaType\":\"application/"
                      "vnd.oci.image.index.v1+json\",\"manifests\":["
                      "{\"digest\":\"" D0
                      "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                      "{\"digest\":\"" D0 "\",\"size\":2,\"platform\":{\"architecture\":\"arm64\","
                      "\"os\":\"linux\",\"variant\":\"v8\"}}]}";
    assert_int_equal(rl_manifest_parse(idx, strlen(idx), NULL, &m, &err), 0);
    assert_true(m.is_index);
    rl_platform_t p = {.os = "linux", .arch = "arm64"};
    const rl_descriptor_t *d = rl_manifest_select(&m, &p, &err);
    assert_non_null(d);
    assert_int_equal(d->size, 2);
    p.arch = "amd64";
    assert_int_equal(rl_manifest_select(&m, &p, &err)->size, 1);
    p.arch = "riscv64";
    assert_null(rl_manifest_select(&m, &p, &err));
    assert_error(-1, &err, "it has: linux/amd64, linux/arm64/v8");
    rl_manifest_clear(&m);
    struct {
        const char *text, *want;
    } bad[] = {
        {"[]", "expected a JSON object"},
        {"{\"schemaVersion\":1}", "schemaVersion 1 is not supported"},
        {"{\"schemaVersion\":2,\"mediaType\":\"text/html\"}",
         "unknown manifest media type 'text/html'"},
        {"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}",
         "config"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:1\",\"size\":1},\"layers\":[]}",
         "config.digest"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0 "\",\"size\":-1},\"layers\":[]}",
         "config.size"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0
         "\",\"size\":1},\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" D0 "\",\"size\":1}]}",
         "unknown layer media type 'a'"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0 "\",\"size\":1},\"layers\":{}}",
         "layers"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0 "\"},\"layers\":[]}",
         "config.size: missing"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0
         "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
         "\"digest\":\"" D0 "\"}]}",
         "layers[0].size: missing"},
        {"{\"schemaVersion\":2,\"config\":{\"digest\":\"" D0 "\",\"size\":1e30},\"layers\":[]}",
         "config.size"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_error(rl_manifest_parse(bad[i].text, strlen(bad[i].text), NULL, &m, &err), &err,
                     bad[i].want);
    char *huge = xcalloc(5 << 20, 1);
    memset(huge, ' ', (5 << 20) - 1);
    assert_error(rl_manifest_parse(huge, strlen(huge), NULL, &m, &err), &err, "larger than 4 MiB");
    free(huge);
    char buf[64];
    assert_int_equal(rl_platform_parse("linux/arm/v7", &p, buf, sizeof buf, &err), 0);
    assert_string_equal(p.variant, "v7");
    assert_error(rl_platform_parse("linux", &p, buf, sizeof buf, &err), &err, "expected OS/ARCH");
    assert_error(rl_platform_parse("linux/a/b/c", &p, buf, sizeof buf, &err), &err,
                 "expected OS/ARCH");
    assert_error(rl_platform_parse("/amd64", &p, buf, sizeof buf, &err), &err, "expected OS/ARCH");
}

static void configs(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_image_config_t c;
    const char *t =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1:2\",\"Env\":[\"A="
        "b\"],"
        "\"Entrypoint\":[\"/e\"],\"Cmd\":null,\"WorkingDir\":\"/w\",\"StopSignal\":\"SIGINT\","
        "\"Labels\":{\"k\":\"v\"},\"ExposedPorts\":{\"80/"
        "tcp\":{}}},\"rootfs\":{\"type\":\"layers\","
        "\"diff_ids\":[\"" D0 "\"]}}";
    assert_int_equal(rl_image_config_parse(t, strlen(t), &c, &err), 0);
    assert_string_equal(c.user, "1:2");
    assert_string_equal(c.entrypoint[0], "/e");
    assert_null(c.cmd);
    assert_string_equal(c.exposed_ports[0], "80/tcp");
    assert_string_equal(c.stop_signal, "SIGINT");
    rl_image_config_free(&c);
    struct {
        const char *text, *want;
    } bad[] = {
        {"{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"x\"]}}", "rootfs.diff_ids[0]"},
        {"{\"rootfs\":{\"type\":\"tarball\",\"diff_ids\":[]}}", "not \"layers\""},
        {"{}", "rootfs"},
        {"{\"config\":{\"Env\":\"A=b\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
         "config.Env"},
        {"{\"config\":{\"Labels\":{\"a\":1}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
         "config.Labels.a"},
        {"\"str\"", "expected a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_error(rl_image_config_parse(bad[i].text, strlen(bad[i].text), &c, &err), &err,
                     bad[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(references_normalise),
        cmocka_unit_test(references_refuse_hostile),
        cmocka_unit_test(toml_subset),
        cmocka_unit_test(registries_resolve),
        cmocka_unit_test(challenges),
        cmocka_unit_test(auth_json),
        cmocka_unit_test(manifests),
        cmocka_unit_test(configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
