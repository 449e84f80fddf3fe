/* SPDX-License-Identifier: Apache-2.0 */
/* `rl pull [-q] [--platform OS/ARCH[/VARIANT]] [--arch] [--os] [--variant]
 * [--tls-verify=false] IMAGE` → pkg/transport/pull. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/transport/pull.h"
#include "pkg/util/cleanup.h"

typedef struct pull_cli {
    rl_pull_opts_t o;
    bool quiet;
} pull_cli_t;

static int set_tls_verify(void *ctx, const char *v)
{
    bool on;
    if (rl_cli_parse_bool("--tls-verify", v, &on) < 0) return -1;
    ((pull_cli_t *)ctx)->o.tls_verify = on;
    return 0;
}

static const rl_cli_opt_t pull_opts[] = {
    RL_FLAG("quiet", 'q', pull_cli_t, quiet, "no progress, only the image id"),
    RL_PLATFORM_OPTS(pull_cli_t, o.platform),
    RL_FN_OPT("tls-verify", "BOOL", set_tls_verify, "check the registry's certificate"),
    RL_IGNORED("disable-content-trust", 0, NULL, "docker's; no effect, as in podman"),
    RL_LATER("authfile", 0, "FILE", "registry logins (rl login)"),
    RL_LATER("creds", 0, "USER[:PASSWORD]", "registry logins (rl login)"),
    RL_LATER("cert-dir", 0, "DIR", "client certificates (rl login)"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_pull = {"pull", "pull an image from a registry", "IMAGE", pull_opts,
                                  false};

int rl_cmd_pull(int argc, char **argv)
{
    pull_cli_t p = {.o = {.tls_verify = -1}};
    if (rl_cli_parse(&rl_cli_pull, argc, argv, &p) < 0) return RL_EXIT_FAILURE;
    rl_pull_opts_t o = p.o;
    bool quiet = p.quiet;
    rl_error_t err = RL_ERROR_INIT;
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
