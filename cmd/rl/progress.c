/* SPDX-License-Identifier: Apache-2.0 */
/* A transfer's progress on stderr, as podman shows it: bars redrawn in
 * place on a terminal, a line per blob elsewhere (pkg/transport/progress.h). */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char *const lines[] = {
    [RL_PROGRESS_TRYING] = "Trying to pull %s...\n",
    [RL_PROGRESS_SIGNATURES] = "Getting image source signatures\n",
    [RL_PROGRESS_BLOB_DONE] = "Copying blob %s done\n",
    [RL_PROGRESS_BLOB_SKIPPED] = "Copying blob %s skipped: already exists\n",
    [RL_PROGRESS_CONFIG] = "Copying config %s done\n",
    [RL_PROGRESS_MANIFEST] = "Writing manifest to image destination\n",
};

static void step(void *arg, rl_progress_step_t s, const char *what)
{
    const rl_cli_progress_t *st = arg;
    /* on a terminal the bars say when a blob is done */
    if (st->p.bars && (s == RL_PROGRESS_BLOB_DONE || s == RL_PROGRESS_BLOB_SKIPPED)) return;
    fprintf(stderr, lines[s], what ? what : "");
    fflush(stderr);
}

static void bars(void *arg, const rl_progress_bar_t *b, size_t n, bool final)
{
    rl_cli_progress_t *st = arg;
    if (st->drawn) fprintf(stderr, "\033[%zuA", st->drawn);
    st->drawn = final ? 0 : n;
    for (size_t i = 0; i < n; i++) {
        double total = (double)b[i].total, got = (double)b[i].done;
        int w = total > 0 ? (int)(30 * (got / total)) : 0;
        if (w > 30) w = 30;
        fprintf(stderr, "\rCopying blob %s [%.*s%*s] %.1fMiB / %.1fMiB\033[K\n", b[i].id, w,
                "==============================", 30 - w, "", got / 1048576, total / 1048576);
    }
    fflush(stderr);
}

const rl_progress_t *rl_cli_progress(rl_cli_progress_t *st, bool quiet)
{
    *st = (rl_cli_progress_t){.p = {.step = step, .arg = st}};
    if (isatty(STDERR_FILENO)) st->p.bars = bars;
    return quiet ? NULL : &st->p;
}
