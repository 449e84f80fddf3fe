/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: WWW-Authenticate challenges and auth.json files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/transport/auth.h"
#include "pkg/transport/challenge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    rl_error_t err = RL_ERROR_INIT;
    rl_challenge_t c;
    if (rl_challenge_parse(text, &c, &err) == 0) rl_challenge_clear(&c);
    rl_error_clear(&err);
    char *basic = NULL;
    if (rl_auth_lookup_text((const char *)data, size, "auth.json", "example.com/a/b", &basic,
                            &err) == 0)
        free(basic);
    rl_error_clear(&err);
    free(text);
    return 0;
}
