/* SPDX-License-Identifier: Apache-2.0 */
/* `rl attach`: this terminal to a running container's monitor
 * (pkg/engine/launch.h rl_engine_attach). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/monitor/detachkeys.h"

int rl_cmd_attach(int argc, char **argv)
{
    static const struct option opts[] = {{"detach-keys", required_argument, NULL, 'K'},
                                         {"no-stdin", no_argument, NULL, 'n'},
                                         {"sig-proxy", optional_argument, NULL, 'P'},
                                         {0}};
    rl_engine_io_t io = {.stdin_on = true};
    rl_error_t err = RL_ERROR_INIT;
    rl_mon_detach_keys_t k;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c == 'K' && rl_mon_detach_keys_parse(optarg, &k, &err) < 0) return rl_cli_fail(&err);
        if (c == 'K')
            io.detach_keys = optarg;
        else if (c == 'n')
            io.stdin_on = false;
        else if (c == 'P' && optarg && strcmp(optarg, "true") && strcmp(optarg, "false"))
            return rl_cli_usage("attach", "--sig-proxy '%s': use true or false", optarg);
        else if (c == 'P')
            io.no_sig_proxy = optarg && !strcmp(optarg, "false");
        else
            return rl_cli_bad_option("attach", argv);
    }
    if (argc - optind != 1) return rl_cli_usage("attach", "give one container name or id");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    char id[65];
    rl_ctr_rec_t rec;
    rl_ctr_state_t st;
    if (rl_engine_ctr_find(s, argv[optind], id, &err) < 0 ||
        rl_engine_ctr_get(s, id, &rec, &st, &err) < 0)
        return rl_cli_fail(&err);
    rl_ctr_status_t live = rl_ctr_state_live(&st);
    rl_ctr_rec_clear(&rec);
    rl_ctr_state_clear(&st);
    if (live != RL_CTR_RUNNING)
        return rl_cli_usage("attach",
                            "container %s is not running: only a running container "
                            "can be attached to (rl start -a)",
                            argv[optind]);
    int code = rl_engine_attach(s, id, &io, &err);
    return code < 0 ? rl_cli_fail(&err) : code;
}
