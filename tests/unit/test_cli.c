/* SPDX-License-Identifier: Apache-2.0 */
/* cmd/rl: parsers of command-line values. The CLI layer is not part of
 * librl, so its parser sources are compiled in here. */
#include <signal.h>

#include "pkg/util/signame.h"
#include "unit.h"

static void signals_by_name_and_number(void **state)
{
    (void)state;
    assert_int_equal(rl_signal_parse("9"), SIGKILL);
    assert_int_equal(rl_signal_parse("KILL"), SIGKILL);
    assert_int_equal(rl_signal_parse("SIGKILL"), SIGKILL);
    assert_int_equal(rl_signal_parse("sigterm"), SIGTERM);
    assert_int_equal(rl_signal_parse("USR1"), SIGUSR1);
    assert_int_equal(rl_signal_parse("RTMIN"), SIGRTMIN);
    assert_int_equal(rl_signal_parse("RTMIN+3"), SIGRTMIN + 3);
    assert_int_equal(rl_signal_parse("SIGRTMAX-2"), SIGRTMAX - 2);
}

static void hostile_signals(void **state)
{
    (void)state;
    const char *bad[] = {"",      "0",        "-9",      "65",      "999999999999", "9x", "SIG",
                         "KILLX", "RTMIN+99", "RTMAX+1", "RTMIN-1", "SIGSIGKILL",   " 9", NULL};
    for (size_t i = 0; bad[i]; i++)
        if (rl_signal_parse(bad[i]) >= 0) fail_msg("accepted '%s'", bad[i]);
    assert_int_equal(rl_signal_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signals_by_name_and_number),
        cmocka_unit_test(hostile_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
