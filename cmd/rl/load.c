/* SPDX-License-Identifier: Apache-2.0 */
/* `rl load -i FILE` (or stdin): docker-archive or oci-archive → pkg/image/load. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/transport/load.h"
#include "pkg/util/cleanup.h"

int rl_cmd_load(int argc, char **argv)
{
    static const struct option opts[] = {
        {"input", required_argument, NULL, 'i'}, {"quiet", no_argument, NULL, 'q'}, {0}};
    const char *file = NULL;
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "+i:q", opts, NULL)) != -1) {
        if (c == 'i')
            file = optarg;
        else if (c == 'q')
            quiet = true;
        else
            return rl_cli_bad_option("load", argv);
    }
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
