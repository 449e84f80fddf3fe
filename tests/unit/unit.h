/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the unit tests: cmocka plus helpers for rl_error_t checks. */
#ifndef RL_TESTS_UNIT_H
#define RL_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pkg/util/error.h"

/* The call failed and its message contains want. */
#define assert_error(expr, err, want)                                                              \
    do {                                                                                           \
        assert_true((expr) < 0);                                                                   \
        assert_non_null((err)->msg);                                                               \
        if (!strstr((err)->msg, (want))) fail_msg("message '%s' lacks '%s'", (err)->msg, (want));  \
        rl_error_clear(err);                                                                       \
    } while (0)

#endif
