/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: id maps in both formats (uid_map text, CONTAINER:HOST:SIZE). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rootless/idmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    rl_error_t err = RL_ERROR_INIT;
    rl_idmap_t *m = NULL;
    size_t n = 0;
    if (rl_idmap_parse_proc(text, &m, &n, &err) == 0) {
        /* whatever parses must render back to something that parses the same */
        char *again = rl_idmap_format(m, n);
        rl_idmap_t *m2 = NULL;
        size_t n2 = 0;
        if (rl_idmap_parse_proc(again, &m2, &n2, &err) != 0 || n2 != n ||
            memcmp(m, m2, n * sizeof *m) != 0)
            abort();
        free(m2);
        free(again);
        free(m);
    }
    rl_error_clear(&err);
    if (rl_idmap_parse_cli(text, &m, &n, &err) == 0) free(m);
    rl_error_clear(&err);
    free(text);
    return 0;
}
