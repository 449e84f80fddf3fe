/* SPDX-License-Identifier: Apache-2.0 */
/* rootless/idmap: the uid_map and CLI formats, with hostile input. */
#include <stdio.h>
#include <stdlib.h>

#include "rootless/idmap.h"
#include "pkg/util/cleanup.h"
#include "rootless/keepid.h"
#include "unit.h"

static void parses_proc_format(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0;
    const char *text = "         0       1000          1\n         1     100000      65536\n";
    assert_int_equal(rl_idmap_parse_proc(text, &m, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(m[1].container_id, 1);
    assert_int_equal(m[1].host_id, 100000);
    assert_int_equal(m[1].size, 65536);
    uint32_t h;
    assert_true(rl_idmap_to_host(m, n, 0, &h));
    assert_int_equal(h, 1000);
    assert_true(rl_idmap_to_host(m, n, 65536, &h));
    assert_int_equal(h, 165535);
    assert_false(rl_idmap_to_host(m, n, 65537, &h));
    char *s = rl_idmap_format(m, n);
    assert_string_equal(s, "0 1000 1\n1 100000 65536\n");
    free(s);
    free(m);
    /* the identity map of the initial namespace */
    assert_int_equal(rl_idmap_parse_proc("0 0 4294967295\n", &m, &n, &err), 0);
    assert_int_equal(m[0].size, 4294967295u);
    free(m);
}

static void parses_cli_format(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0;
    assert_int_equal(rl_idmap_parse_cli("0:1000:1,1:100000:65536", &m, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(m[1].host_id, 100000);
    free(m);
}

static void refuses_hostile_maps(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0;
    const struct {
        const char *text, *want;
    } proc[] = {
        {"", "id map: empty"},
        {"0 1000\n", "invalid entry"},
        {"0 1000 1 7\n", "invalid entry"},
        {"-1 1000 1\n", "invalid entry"},
        {"0 1000 0\n", "size 0"},
        {"4294967296 0 1\n", "invalid entry"},
        {"99999999999999999999 0 1\n", "invalid entry"},
        {"0 4294967295 2\n", "runs past 4294967295"},
        {"0 1000 10\n5 2000 10\n", "container ids of ranges 0 and 1 overlap"},
        {"0 1000 10\n20 1005 10\n", "host ids of ranges 0 and 1 overlap"},
        {"0x10 1000 1\n", "invalid entry"},
        {"0 1000 1garbage\n", "invalid entry"},
    };
    for (size_t i = 0; i < sizeof proc / sizeof proc[0]; i++) {
        int r = rl_idmap_parse_proc(proc[i].text, &m, &n, &err);
        if (r == 0) fail_msg("accepted '%s'", proc[i].text);
        assert_error(r, &err, proc[i].want);
    }
    const char *cli[] = {"0:1000", "0::1000:1", ":0:1", "0:1:1,", "0:1:1,,1:2:1", "a:b:c", "0 1 1"};
    for (size_t i = 0; i < sizeof cli / sizeof cli[0]; i++) {
        int r = rl_idmap_parse_cli(cli[i], &m, &n, &err);
        if (r == 0) fail_msg("accepted '%s'", cli[i]);
        rl_error_clear(&err);
    }
    /* more lines than the kernel takes */
    char *big = malloc(400 * 32);
    big[0] = '\0';
    for (int i = 0; i < 400; i++)
        sprintf(big + strlen(big), "%d %d 1\n", i, 1000 + i);
    assert_error(rl_idmap_parse_proc(big, &m, &n, &err), &err, "more than 340 ranges");
    free(big);
}

static const rl_idmap_t def[] = {{0, 1000, 1}, {1, 100000, 65536}};

static void keep_id_maps_you_and_every_subordinate_id(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0;
    assert_int_equal(rl_idmap_keep_id(def, 2, 1000, &m, &n, &err), 0);
    rl_autofree char *text = rl_idmap_format(m, n);
    assert_string_equal(text, "0 100000 1000\n1001 101000 64536\n1000 1000 1\n");
    free(m);
    /* keep-id:uid=0 is the default mapping; a uid beyond the range keeps a hole */
    assert_int_equal(rl_idmap_keep_id(def, 2, 0, &m, &n, &err), 0);
    rl_autofree char *t0 = rl_idmap_format(m, n);
    assert_string_equal(t0, "1 100000 65536\n0 1000 1\n");
    free(m);
    assert_int_equal(rl_idmap_keep_id(def, 2, 70000, &m, &n, &err), 0);
    rl_autofree char *tbig = rl_idmap_format(m, n);
    assert_string_equal(tbig, "0 100000 65536\n70000 1000 1\n");
    free(m);
    /* no subordinate ids: nothing to keep you apart from root */
    assert_int_equal(rl_idmap_keep_id(def, 1, 1000, &m, &n, &err), -1);
    assert_non_null(strstr(err.msg, "usermod --add-subuids"));
    rl_error_clear(&err);
}

static void keep_id_pairs_translate_storage_ids(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0, np = 0;
    assert_int_equal(rl_idmap_keep_id(def, 2, 1000, &m, &n, &err), 0);
    rl_idpair_t *p = NULL;
    rl_idmap_pairs(m, n, def, 2, &p, &np);
    uint32_t out;
    /* stored root (the user) must be shown as 0: the container's 0 is subuid 100000 = storage 1 */
    assert_true(rl_idpair_shift(p, np, 0, &out));
    assert_int_equal(out, 1);
    /* stored 1000 is host 100999; the container's 1000 is the user = storage 0 */
    assert_true(rl_idpair_shift(p, np, 1000, &out));
    assert_int_equal(out, 0);
    assert_true(rl_idpair_shift(p, np, 1001, &out));
    assert_int_equal(out, 1001);
    assert_true(rl_idpair_shift(p, np, 65535, &out));
    assert_int_equal(out, 65535);
    assert_true(rl_idpair_shift(p, np, 65536, &out));
    assert_int_equal(out, 65536);
    assert_false(rl_idpair_shift(p, np, 65537, &out));
    rl_autofree char *opt = rl_idpair_fuse_option(p, np);
    assert_string_equal(opt, "0:1:1000:1001:1001:64536:1000:0:1");
    free(p);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_proc_format),
        cmocka_unit_test(parses_cli_format),
        cmocka_unit_test(refuses_hostile_maps),
        cmocka_unit_test(keep_id_maps_you_and_every_subordinate_id),
        cmocka_unit_test(keep_id_pairs_translate_storage_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
