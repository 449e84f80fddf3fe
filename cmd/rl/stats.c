/* SPDX-License-Identifier: Apache-2.0 */
/* `rl stats [--no-stream] [-a] [NAME...]` → pkg/cgroups/stats.h. Where
 * the host gives a rootless container no cgroup (v1), one clear line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/cgroups/stats.h"
#include "pkg/engine/ctr.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/strbuf.h"

static int row(rl_store_t *s, const char *id, rl_strbuf_t *out, rl_error_t *err)
{
    rl_ctr_rec_t rec;
    rl_ctr_state_t st;
    if (rl_engine_ctr_get(s, id, &rec, &st, err) < 0) return -1;
    rl_cgroup_stats_t cs;
    int r = -1;
    if (rl_ctr_state_live(&st) != RL_CTR_RUNNING)
        rl_error_set(err, 0, "stats: container %s is not running", rec.name);
    else
        r = rl_cgroup_stats(st.pid, &cs, err);
    if (r == 0) {
        rl_autofree char *mem = rl_cli_human_size(cs.mem_current);
        rl_autofree char *lim = cs.mem_max ? rl_cli_human_size(cs.mem_max) : xstrdup("unlimited");
        rl_autofree char *usage = xasprintf("%s / %s", mem, lim);
        rl_strbuf_appendf(out, "%-14.12s%-20s%-13.3f%-24s%llu\n", id, rec.name, cs.cpu_usec / 1e6,
                          usage, (unsigned long long)cs.pids);
    }
    rl_ctr_rec_clear(&rec);
    rl_ctr_state_clear(&st);
    return r;
}

static bool running(const rl_ctr_state_t *st)
{
    return rl_ctr_state_live(st) == RL_CTR_RUNNING;
}

/* no names: every running container */
static char **targets(rl_store_t *s, int argc, char **argv)
{
    char **v = xcalloc(1, sizeof(char *));
    for (int i = optind; i < argc; i++)
        rl_strv_push(&v, xstrdup(argv[i]));
    if (optind == argc) rl_engine_ctr_select(s, running, &v, NULL);
    return v;
}

/* One snapshot either way: rl stats does not stream yet. */
static const rl_cli_opt_t stats_opts[] = {
    RL_IGNORED("no-stream", 0, NULL, "one snapshot (the only way yet)"),
    RL_IGNORED("all", 'a', NULL, "every container (the running ones have figures)"),
    RL_LATER("format", 0, "TEMPLATE", "stats templates"),
    RL_LATER("interval", 'i', "SECONDS", "streaming stats"),
    RL_LATER("no-reset", 0, NULL, "streaming stats"),
    RL_LATER("no-trunc", 0, NULL, "stats templates"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_stats = {"stats", "resource use of running containers (cgroup v2)",
                                   "[CONTAINER...]", stats_opts, false};

int rl_cmd_stats(int argc, char **argv)
{
    if (rl_cli_parse(&rl_cli_stats, argc, argv, NULL) < 0) return RL_EXIT_FAILURE;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_autostrv char **names = targets(s, argc, argv);
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = RL_STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; names[i]; i++) {
        char id[65];
        if (rl_engine_ctr_find(s, names[i], id, &err) < 0 || row(s, id, &out, &err) < 0)
            rc = rl_cli_fail(&err);
    }
    if (out.buf || rc == 0)
        printf("%-14s%-20s%-13s%-24s%s\n%s", "ID", "NAME", "CPU TIME", "MEM USAGE / LIMIT", "PIDS",
               out.buf ? out.buf : "");
    rl_strbuf_free(&out);
    return rc;
}
