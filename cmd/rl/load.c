/* SPDX-License-Identifier: Apache-2.0 */
/* `rl load -i FILE` (or stdin): docker-archive or oci-archive → pkg/image/load. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/transport/load.h"
#include "pkg/util/cleanup.h"

typedef struct load_opts {
    const char *input;
    bool quiet;
} load_opts_t;

static const rl_cli_opt_t load_opts[] = {
    RL_STR("input", 'i', "FILE", load_opts_t, input, "the archive (else stdin)"),
    RL_FLAG("quiet", 'q', load_opts_t, quiet, "say nothing"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_load = {"load", "load images from a docker-archive or oci-archive", "",
                                  load_opts, false};

int rl_cmd_load(int argc, char **argv)
{
    load_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_load, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    const char *file = o.input;
    bool quiet = o.quiet;
    if (optind != argc)
        return rl_cli_usage("load", "unexpected argument '%s' (use -i FILE)", argv[optind]);
    if (!file) {
        if (isatty(STDIN_FILENO))
            return rl_cli_usage("load", "give an archive with -i FILE or on stdin");
        file = "/dev/stdin";
    }
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = {0};
    int r = rl_transport_load(s, file, &out, &err);
    if (!quiet) fputs(rl_strbuf_str(&out), stdout);
    rl_strbuf_free(&out);
    return r < 0 ? rl_cli_fail(&err) : 0;
}
