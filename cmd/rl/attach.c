/* SPDX-License-Identifier: Apache-2.0 */
/* `rl attach`: this terminal to a running container's monitor
 * (pkg/engine/launch.h rl_engine_attach). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/monitor/detachkeys.h"

static int set_no_stdin(void *io, const char *v)
{
    (void)v;
    ((rl_engine_io_t *)io)->stdin_on = false;
    return 0;
}

static const rl_cli_opt_t attach_opts[] = {
    RL_FN("no-stdin", 0, NULL, set_no_stdin, "do not pass stdin through"),
    RL_IO_OPTS(0), /* the context is the io itself */
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_attach = {"attach", "attach this terminal to a running container",
                                    "CONTAINER", attach_opts, false};

int rl_cmd_attach(int argc, char **argv)
{
    rl_engine_io_t io = {.stdin_on = true};
    rl_error_t err = RL_ERROR_INIT;
    if (rl_cli_parse(&rl_cli_attach, argc, argv, &io) < 0) return RL_EXIT_FAILURE;
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
