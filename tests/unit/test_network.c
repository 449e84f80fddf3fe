/* pkg/network: -p specs (hostile ones included). */
#include <stdlib.h>

#include "pkg/network/ports.h"
#include "pkg/util/cleanup.h"
#include "unit.h"

/* Parse one spec and return the formatted entries joined by spaces. */
static char *parsed(const char *spec)
{
    rl_ports_t ps = {0};
    rl_error_t err = RL_ERROR_INIT;
    if (rl_ports_parse(&ps, spec, &err) < 0) fail_msg("'%s': %s", spec, err.msg);
    size_t len = 1;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < ps.n; i++) {
        char *f = rl_port_format(&ps.v[i]);
        len += strlen(f) + 1;
        out = realloc(out, len);
        if (i) strcat(out, " ");
        strcat(out, f);
        free(f);
    }
    rl_ports_clear(&ps);
    return out;
}

#define assert_parsed(spec, want)                                                                  \
    do {                                                                                           \
        char *got_ = parsed(spec);                                                                 \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void ports_good(void **state)
{
    (void)state;
    assert_parsed("80", ":0:80/tcp");
    assert_parsed("8080:80", ":8080:80/tcp");
    assert_parsed("8080:80/udp", ":8080:80/udp");
    assert_parsed("127.0.0.1:8080:80", "127.0.0.1:8080:80/tcp");
    assert_parsed("127.0.0.1::80/udp", "127.0.0.1:0:80/udp");
    assert_parsed("[::1]:8080:80", "[::1]:8080:80/tcp");
    assert_parsed("::1:8080:80", "[::1]:8080:80/tcp");
    assert_parsed("[fd00::2]::53/udp", "[fd00::2]:0:53/udp");
    assert_parsed("8000-8002:9000-9002", ":8000:9000/tcp :8001:9001/tcp :8002:9002/tcp");
    assert_parsed("9000-9001", ":0:9000/tcp :0:9001/tcp");
    assert_parsed("65535:1", ":65535:1/tcp");
}

static void ports_bad(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *want;
    } bad[] = {
        {"0", "port 0 cannot be published"},
        {"8080:0", "port 0 cannot be published"},
        {"65536", "ports go from 1 to 65535"},
        {"70000:80", "ports go from 1 to 65535"},
        {"99999999999999999999:80", "too long"},
        {"8010-8000:80", "is reversed"},
        {"80-70", "is reversed"},
        {"8000-8010:80-81", "differ in length"},
        {"80/sctp", "unknown protocol 'sctp'"},
        {"80/", "unknown protocol ''"},
        {"1.2.3.4.5:80:80", "not an IP address"},
        {"example.com:80:80", "not an IP address"},
        {"[::1:80:80", "not an IP address"},
        {"", "a port is missing"},
        {":", "a port is missing"},
        {"80:", "a port is missing"},
        {"abc", "not a port number"},
        {"-80", "not a port range"},
        {"80-", "not a port range"},
        {"8-0-9", "not a port range"},
        {"+80", "not a port number"},
        {" 80", "not a port number"},
        {"1:2:3:4", "not an IP address"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl_ports_t ps = {0};
        rl_error_t err = RL_ERROR_INIT;
        int r = rl_ports_parse(&ps, bad[i].spec, &err);
        if (r == 0) fail_msg("'%s' was accepted", bad[i].spec);
        if (!strstr(err.msg, bad[i].want))
            fail_msg("'%s': '%s' lacks '%s'", bad[i].spec, err.msg, bad[i].want);
        assert_int_equal(ps.n, 0);
        rl_error_clear(&err);
        rl_ports_clear(&ps);
    }
}

static void ports_exposed_and_clashes(void **state)
{
    (void)state;
    rl_ports_t ps = {0};
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_ports_parse_exposed(&ps, "80/tcp", &err), 0);
    assert_int_equal(rl_ports_parse_exposed(&ps, "53/udp", &err), 0);
    assert_int_equal(rl_ports_parse_exposed(&ps, "7000-7001", &err), 0);
    assert_int_equal(ps.n, 4);
    assert_int_equal(ps.v[1].udp, true);
    assert_int_equal(ps.v[3].ctr_port, 7001);
    assert_error(rl_ports_parse_exposed(&ps, "80:80", &err), &err, "expose");
    rl_ports_clear(&ps);
    rl_port_t a = {.host_ip = "", .host_port = 8080, .ctr_port = 80};
    rl_port_t b = {.host_ip = "127.0.0.1", .host_port = 8080, .ctr_port = 81};
    rl_port_t c = {.host_ip = "127.0.0.1", .host_port = 8080, .ctr_port = 81, .udp = true};
    rl_port_t d = {.host_ip = "127.0.0.2", .host_port = 8080, .ctr_port = 81};
    rl_port_t z = {.host_ip = "", .host_port = 0, .ctr_port = 81};
    assert_true(rl_port_same_host(&a, &b));
    assert_false(rl_port_same_host(&b, &c));
    assert_false(rl_port_same_host(&b, &d));
    assert_false(rl_port_same_host(&z, &z));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ports_good),
        cmocka_unit_test(ports_bad),
        cmocka_unit_test(ports_exposed_and_clashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
