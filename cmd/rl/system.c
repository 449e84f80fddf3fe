/* `rl system reset [-f]`: remove every container, image and layer of the
 * user's store (podman's system reset). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/util/cleanup.h"

static int reset(int argc, char **argv)
{
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
    bool force = false;
    int c;
    while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
        if (c == 'f')
            force = true;
        else
            return rl_cli_usage("system reset", "invalid option (use -f)");
    }
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    if (!force) {
        if (!isatty(STDIN_FILENO))
            return rl_cli_usage("system reset",
                                "this removes all containers and images of '%s': confirm with -f",
                                s->root);
        fprintf(stderr,
                "This removes all containers, images and layers in %s.\nAre you sure? [y/N] ",
                s->root);
        char line[16];
        if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y')) return 0;
    }
    rl_error_t err = RL_ERROR_INIT;
    /* running containers first: their monitors must not outlive the store */
    rl_ctr_rec_t *recs;
    size_t n;
    rl_ctr_list(s, &recs, &n);
    for (size_t i = 0; i < n; i++)
        if (rl_engine_rm(s, recs[i].id, true, &err) < 0) rl_cli_fail(&err);
    rl_ctr_list_free(recs, n);
    return rl_store_reset(s, &err) < 0 ? rl_cli_fail(&err) : 0;
}

int rl_cmd_system(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "reset")) return reset(argc - 1, argv + 1);
    return rl_cli_usage("system", "give a subcommand: reset");
}
