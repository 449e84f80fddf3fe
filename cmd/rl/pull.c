/* SPDX-License-Identifier: Apache-2.0 */
/* `rl pull [-q] [--platform OS/ARCH[/VARIANT]] [--arch] [--os] [--variant]
 * [--tls-verify=false] IMAGE` → pkg/transport/pull. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/transport/pull.h"
#include "pkg/util/cleanup.h"

static int parse_bool(const char *opt, const char *v, int *out)
{
    if (!v || !strcmp(v, "true")) return *out = 1, 0;
    if (!strcmp(v, "false")) return *out = 0, 0;
    return rl_cli_usage(opt, "'%s' is not true or false", v);
}

int rl_cmd_pull(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"platform", required_argument, NULL, 'p'},
        {"arch", required_argument, NULL, 'a'},
        {"os", required_argument, NULL, 'o'},
        {"variant", required_argument, NULL, 'v'},
        {"tls-verify", optional_argument, NULL, 't'},
        {0},
    };
    rl_pull_opts_t o = {.tls_verify = -1};
    bool quiet = false;
    char pbuf[256];
    rl_error_t err = RL_ERROR_INIT;
    int c;
    while ((c = getopt_long(argc, argv, "+q", opts, NULL)) != -1) {
        switch (c) {
        case 'q':
            quiet = true;
            break;
        case 'p':
            if (rl_platform_parse(optarg, &o.platform, pbuf, sizeof pbuf, &err) < 0)
                return rl_cli_fail(&err);
            break;
        case 'a':
            o.platform.arch = optarg;
            break;
        case 'o':
            o.platform.os = optarg;
            break;
        case 'v':
            o.platform.variant = optarg;
            break;
        case 't':
            if (parse_bool("--tls-verify", optarg, &o.tls_verify)) return RL_EXIT_FAILURE;
            break;
        default:
            return rl_cli_bad_option("pull", argv);
        }
    }
    if (optind != argc - 1) return rl_cli_usage("pull", "give exactly one image");
    o.image = argv[optind];
    rl_cli_progress_t progress;
    o.progress = rl_cli_progress(&progress, quiet);
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_autofree char *id = NULL;
    if (rl_transport_pull(s, &o, &id, &err) < 0) return rl_cli_fail(&err);
    printf("%s\n", id);
    return 0;
}
