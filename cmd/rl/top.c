/* SPDX-License-Identifier: Apache-2.0 */
/* `rl top NAME [DESCRIPTORS...]` → pkg/engine/top.h, in aligned columns. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/top.h"
#include "pkg/util/cleanup.h"

/* the width of each tab-separated column */
static void widths(const char *text, size_t *w, size_t max)
{
    size_t col = 0, len = 0;
    for (const char *c = text; *c; c++) {
        if (*c != '\t' && *c != '\n') {
            len++;
            continue;
        }
        if (col < max && len > w[col]) w[col] = len;
        col = *c == '\n' ? 0 : col + 1;
        len = 0;
    }
}

/* tab-separated cells → columns, as podman's tabwriter lays them out */
static void print_columns(const char *text)
{
    size_t w[32] = {0}, col = 0, len = 0;
    widths(text, w, 32);
    for (const char *c = text; *c; c++) {
        if (*c == '\t') {
            printf("%*s", col < 32 ? (int)(w[col] - len + 3) : 1, "");
            col++, len = 0;
            continue;
        }
        putchar(*c);
        len++;
        if (*c == '\n') col = 0, len = 0;
    }
}

int rl_cmd_top(int argc, char **argv)
{
    if (argc < 2) return rl_cli_usage("top", "give a running container");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    char id[65];
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = RL_STRBUF_INIT;
    if (rl_engine_ctr_find(s, argv[1], id, &err) < 0 ||
        rl_engine_top(s, id, argc > 2 ? argv + 2 : NULL, &out, &err) < 0) {
        rl_strbuf_free(&out);
        return rl_cli_fail(&err);
    }
    print_columns(out.buf);
    rl_strbuf_free(&out);
    return 0;
}
