/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: image references; what parses renders back to the same thing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/image/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    rl_error_t err = RL_ERROR_INIT;
    rl_ref_t ref;
    if (rl_ref_parse(text, &ref, &err) == 0) {
        char *s = rl_ref_string(&ref);
        rl_ref_t again;
        if (rl_ref_parse(s, &again, &err) != 0) abort();
        char *s2 = rl_ref_string(&again);
        if (strcmp(s, s2)) abort();
        rl_ref_normalize(&again);
        free(s), free(s2);
        rl_ref_free(&again);
        rl_ref_free(&ref);
    }
    rl_error_clear(&err);
    free(text);
    return 0;
}
