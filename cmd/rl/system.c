/* SPDX-License-Identifier: Apache-2.0 */
/* `rl system reset [-f]`: remove every container, image and layer of the
 * user's store (podman's system reset). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/prune.h"
#include "storage/image_remove.h"
#include "pkg/util/cleanup.h"

typedef struct system_opts {
    bool all, force;
} system_opts_t;

static const rl_cli_opt_t reset_opts[] = {
    RL_FLAG("force", 'f', system_opts_t, force, "do not ask"),
    RL_OPT_END,
};
static const rl_cli_opt_t prune_opts[] = {
    RL_FLAG("all", 'a', system_opts_t, all, "every image no container uses, not only dangling"),
    RL_FLAG("force", 'f', system_opts_t, force, "do not ask"),
    RL_IGNORED("volumes", 'v', NULL, "unused volumes too (rl has none yet)"),
    RL_OPT_END,
};
static const rl_cli_opt_t no_opts[] = {RL_OPT_END};

static const rl_cli_cmd_t rl_cli_system_reset = {
    "system reset", "remove every container, image and layer of the store", "", reset_opts, true};
static const rl_cli_cmd_t rl_cli_system_prune = {
    "system prune", "remove stopped containers and unused images", "", prune_opts, true};
static const rl_cli_cmd_t rl_cli_system_df = {"system df", "show the store's use of disk space", "",
                                              no_opts, true};

static int reset(int argc, char **argv)
{
    system_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_system_reset, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool force = o.force;
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
    rl_autostrv char **all = xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        all[i] = xstrdup(recs[i].id);
    for (size_t i = 0; i < n; i++)
        if (rl_engine_rm(s, recs[i].id, true, 0, all, &err) < 0) rl_cli_fail(&err);
    rl_ctr_list_free(recs, n);
    return rl_store_reset(s, &err) < 0 ? rl_cli_fail(&err) : 0;
}

/* podman's lines: what went, then the space it held */
static int prune(int argc, char **argv)
{
    system_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_system_prune, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool all = o.all, force = o.force;
    if (!force) {
        int r = rl_cli_confirm("system prune",
                               all ? "remove all stopped containers and all images without "
                                     "at least one container"
                                   : "remove all stopped containers and all dangling images");
        if (r) return r < 0 ? 0 : r;
    }
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_autostrv char **ids = xcalloc(1, sizeof(char *));
    unsigned long long bytes = 0;
    rl_engine_df_row_t before, after, ignored;
    if (rl_engine_ctr_prune(s, &ids, &bytes, &err) < 0) return rl_cli_fail(&err);
    printf("Deleted Containers\n");
    for (size_t i = 0; ids[i]; i++)
        printf("%s\n", ids[i]);
    rl_strbuf_t out = RL_STRBUF_INIT;
    if (rl_engine_df(s, &before, &ignored, &err) < 0 ||
        rl_store_image_prune(s, all, &out, &err) < 0 ||
        rl_engine_df(s, &after, &ignored, &err) < 0) {
        rl_strbuf_free(&out);
        return rl_cli_fail(&err);
    }
    printf("Deleted Images\n%s", out.buf ? out.buf : "");
    rl_strbuf_free(&out);
    rl_autofree char *total = rl_cli_human_size(bytes + before.size - after.size);
    printf("Total reclaimed space: %s\n", total);
    return 0;
}

static void df_line(const char *type, const rl_engine_df_row_t *r)
{
    rl_autofree char *size = rl_cli_human_size(r->size);
    rl_autofree char *rec = rl_cli_human_size(r->reclaimable);
    int pct = r->size ? (int)(100 * r->reclaimable / r->size) : 0;
    rl_autofree char *reclaim = xasprintf("%s (%d%%)", rec, pct);
    printf("%-15s%-12d%-12d%-12s%s\n", type, r->total, r->active, size, reclaim);
}

static int df(int argc, char **argv)
{
    int first = rl_cli_parse(&rl_cli_system_df, argc, argv, NULL);
    if (first < 0) return RL_EXIT_FAILURE;
    if (first < argc) return rl_cli_usage("system df", "takes no arguments");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_engine_df_row_t images, ctrs, volumes = {0};
    if (rl_engine_df(s, &images, &ctrs, &err) < 0) return rl_cli_fail(&err);
    printf("%-15s%-12s%-12s%-12s%s\n", "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
    df_line("Images", &images);
    df_line("Containers", &ctrs);
    df_line("Local Volumes", &volumes);
    return 0;
}

int rl_cmd_system(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "reset")) return reset(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "prune")) return prune(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "df")) return df(argc - 1, argv + 1);
    return rl_cli_usage("system", "give a subcommand: df, prune or reset");
}
