/* SPDX-License-Identifier: Apache-2.0 */
/* `rl import TARBALL [NAME]`: a root filesystem tarball as a one-layer image. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "pkg/transport/import.h"
#include "pkg/util/cleanup.h"

static const rl_cli_opt_t import_opts[] = {
    RL_IGNORED("quiet", 'q', NULL, "say nothing but the id"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_import = {"import", "import a root filesystem tarball as an image",
                                    "FILE|- [NAME]", import_opts, false};

int rl_cmd_import(int argc, char **argv)
{
    if (rl_cli_parse(&rl_cli_import, argc, argv, NULL) < 0) return RL_EXIT_FAILURE;
    if (optind >= argc || argc - optind > 2)
        return rl_cli_usage("import", "usage: rl import TARBALL [NAME]");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *id = NULL;
    if (rl_transport_import(s, argv[optind], argv[optind + 1], &id, &err) < 0)
        return rl_cli_fail(&err);
    printf("%s\n", id);
    return 0;
}
