/* SPDX-License-Identifier: Apache-2.0 */
/* `rl import TARBALL [NAME]`: a root filesystem tarball as a one-layer image. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "pkg/transport/import.h"
#include "pkg/util/cleanup.h"

int rl_cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"quiet", no_argument, NULL, 'q'}, {0}};
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "+q", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = true;
        else
            return rl_cli_bad_option("import", argv);
    }
    if (optind >= argc || argc - optind > 2)
        return rl_cli_usage("import", "usage: rl import TARBALL [NAME]");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *id = NULL;
    if (rl_transport_import(s, argv[optind], argv[optind + 1], &id, &err) < 0)
        return rl_cli_fail(&err);
    (void)quiet;
    printf("%s\n", id);
    return 0;
}
