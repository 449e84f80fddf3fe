/* SPDX-License-Identifier: Apache-2.0 */
/* `rl container VERB`: podman's container group, the same verbs as the
 * top-level ones; `rl container prune` and `rl rename` live here too
 * (pkg/engine/prune.h, storage/containers.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/prune.h"
#include "pkg/util/cleanup.h"

int rl_cli_confirm(const char *what, const char *question)
{
    if (!isatty(STDIN_FILENO))
        return rl_cli_usage(what, "this would %s: confirm with -f", question);
    fprintf(stderr, "WARNING! This will %s.\nAre you sure you want to continue? [y/N] ", question);
    char line[16];
    if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y')) return -1;
    return 0;
}

typedef struct prune_opts {
    bool force;
} prune_opts_t;

static const rl_cli_opt_t prune_opts[] = {
    RL_FLAG("force", 'f', prune_opts_t, force, "do not ask"),
    RL_OPT_END,
};

static const rl_cli_cmd_t rl_cli_container_prune = {
    "container prune", "remove every container that is not running", "", prune_opts, true};

int rl_cmd_container_prune(int argc, char **argv)
{
    prune_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_container_prune, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool force = o.force;
    if (!force) {
        int r = rl_cli_confirm("container prune", "remove all non running containers");
        if (r) return r < 0 ? 0 : r;
    }
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_autostrv char **ids = xcalloc(1, sizeof(char *));
    unsigned long long bytes;
    rl_error_t err = RL_ERROR_INIT;
    int r = rl_engine_ctr_prune(s, &ids, &bytes, &err);
    for (size_t i = 0; ids[i]; i++)
        printf("%s\n", ids[i]);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

int rl_cmd_rename(int argc, char **argv)
{
    if (argc != 3) return rl_cli_usage("rename", "give a container and its new name");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    char id[65];
    rl_error_t err = RL_ERROR_INIT;
    if (rl_engine_ctr_find(s, argv[1], id, &err) < 0 || rl_ctr_rename(s, id, argv[2], &err) < 0)
        return rl_cli_fail(&err);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} verbs[] = {
    {"ls", rl_cmd_ps},
    {"list", rl_cmd_ps},
    {"ps", rl_cmd_ps},
    {"run", rl_cmd_run},
    {"create", rl_cmd_create},
    {"start", rl_cmd_start},
    {"stop", rl_cmd_stop},
    {"kill", rl_cmd_kill},
    {"restart", rl_cmd_restart},
    {"rm", rl_cmd_rm},
    {"logs", rl_cmd_logs},
    {"wait", rl_cmd_wait},
    {"exec", rl_cmd_exec},
    {"attach", rl_cmd_attach},
    {"top", rl_cmd_top},
    {"port", rl_cmd_port},
    {"rename", rl_cmd_rename},
    {"stats", rl_cmd_stats},
    {"prune", rl_cmd_container_prune},
    {"inspect", rl_cmd_container_inspect},
};

int rl_cmd_container(int argc, char **argv)
{
    if (argc < 2) return rl_cli_usage("container", "give a subcommand, e.g. ls, inspect, prune");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (!strcmp(argv[1], verbs[i].name)) return verbs[i].run(argc - 1, argv + 1);
    return rl_cli_usage("container", "unknown subcommand '%s'", argv[1]);
}
