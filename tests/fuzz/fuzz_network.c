/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: -p specs (and their record form read back), --expose values,
 * -P's resolution, the ps summary, --network modes and the --dns,
 * --dns-search, --dns-option and --add-host checks. The input is split at
 * newlines, one spec each. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/network/etcfiles.h"
#include "pkg/network/netmode.h"
#include "pkg/network/ports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    rl_net_ports_t ps = {0};
    for (char *save = NULL, *line = strtok_r(s, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        rl_error_t err = RL_ERROR_INIT;
        size_t before = ps.n;
        if (rl_net_ports_parse(&ps, line, &err) == 0) {
            for (size_t i = before; i < ps.n; i++)
                free(rl_net_port_format(&ps.v[i]));
        } else if (ps.n != before) {
            abort(); /* a failed spec must add nothing */
        }
        rl_error_clear(&err);
        if (rl_net_ports_parse_exposed(&ps, line, &err) < 0) rl_error_clear(&err);
        rl_net_mode_t m;
        if (rl_net_mode_parse(line, &m, &err) < 0) rl_error_clear(&err);
        char *one[] = {line, NULL};
        rl_net_etc_opts_t e = {.net = &m,
                               .hostname = "h",
                               .dns = one,
                               .dns_search = one,
                               .dns_opts = one,
                               .add_hosts = one};
        if (rl_net_etc_check(&e, &err) < 0) rl_error_clear(&err);
    }
    /* the record's form reads back as the same ports */
    for (size_t i = 0; i < ps.n && i < 64; i++) {
        char *f = rl_net_port_format(&ps.v[i]);
        rl_net_ports_t back = {0};
        char *one[] = {f, NULL};
        rl_net_ports_from_strv(&back, one);
        if (back.n != 1 || memcmp(&back.v[0], &ps.v[i], sizeof back.v[0])) abort();
        rl_net_ports_clear(&back);
        free(f);
    }
    free(rl_net_ports_summary(&ps));
    rl_net_ports_clear(&ps);
    /* every line as -p, as --expose and as an image's ExposedPorts (-P) */
    char **lines = NULL;
    size_t n = 0;
    memcpy(s, data, size);
    for (char *save = NULL, *line = strtok_r(s, "\n", &save); line && n < 16;
         line = strtok_r(NULL, "\n", &save)) {
        lines = realloc(lines, (n + 2) * sizeof *lines);
        lines[n++] = line, lines[n] = NULL;
    }
    rl_error_t err = RL_ERROR_INIT;
    if (lines && rl_net_ports_resolve(&ps, lines, lines, lines, true, &err) < 0)
        rl_error_clear(&err);
    rl_net_ports_clear(&ps);
    free(lines);
    free(s);
    return 0;
}
