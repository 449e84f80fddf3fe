/* SPDX-License-Identifier: Apache-2.0 */
/* `rl stop`, `rl kill`, `rl restart`, `rl rm`, `rl start`, `rl wait`: each
 * name or id in turn (pkg/engine/ctr.h), printed back as podman does. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/monitor/detachkeys.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/parallel.h"
#include "pkg/util/signame.h"

typedef struct verb_opts {
    const char *verb;
    bool all, force, attach;
    int timeout; /* stop, restart, rm -t */
    int sig;     /* kill */
    bool running_wanted;
    bool parallel;     /* the targets go at once (stop, kill, restart, rm) */
    rl_engine_io_t io; /* start */
    char *const *with; /* rm: every id this command removes */
    bool depend;       /* rm --depend: with the containers that join them */
} verb_opts_t;

typedef int (*ctr_fn)(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err);

/* rm --depend: after each target, the containers that join it
 * (--network container:ID), theirs in turn, each once. */
static void add_joiners(rl_store_t *s, char ***v)
{
    for (size_t i = 0; (*v)[i]; i++) {
        char id[65];
        rl_error_t e = RL_ERROR_INIT;
        if (rl_engine_ctr_find(s, (*v)[i], id, &e) < 0) {
            rl_error_clear(&e); /* reported with the others */
            continue;
        }
        rl_autostrv char **j = rl_ctr_joining(s, id);
        for (size_t k = 0; j[k]; k++)
            if (!rl_strv_contains(*v, j[k])) rl_strv_push(v, xstrdup(j[k]));
    }
}

/* The targets: the names given, or with -a every container. */
static char **targets(rl_store_t *s, int argc, char **argv, const verb_opts_t *o)
{
    char **v = xcalloc(1, sizeof(char *));
    if (!o->all) {
        for (int i = optind; i < argc; i++)
            rl_strv_push(&v, xstrdup(argv[i]));
        if (o->depend) add_joiners(s, &v);
        return v;
    }
    rl_ctr_rec_t *recs;
    size_t n;
    rl_ctr_list(s, &recs, &n);
    for (size_t i = 0; i < n; i++)
        rl_strv_push(&v, xstrdup(recs[i].id));
    rl_ctr_list_free(recs, n);
    return v;
}

/* One target's outcome, printed as podman does: the name (or with -a the
 * id), or the error. */
static int report(const verb_opts_t *o, const char *name, const char *id, int r, rl_error_t *err)
{
    if (r < 0) return rl_cli_fail(err);
    if (r == 0 || strcmp(o->verb, "wait")) printf("%s\n", o->all ? id : name);
    fflush(stdout);
    return 0;
}

/* Several containers stop (or go) at once, as podman does: each waits out
 * its own stop timeout, not the sum of all. A worker opens its own store. */
typedef struct par_ctx {
    const verb_opts_t *o;
    ctr_fn fn;
    char (*ids)[65];
} par_ctx_t;

static int par_job(size_t i, void *ctx, rl_error_t *err)
{
    par_ctx_t *c = ctx;
    rl_autostore rl_store_t *s = rl_store_open(rl_global.root, err);
    return s ? c->fn(s, c->ids[i], c->o, err) : -1;
}

#define PARALLEL_MAX 32

/* Every target is tried; the exit code is the last failure's. */
static int each(int argc, char **argv, const verb_opts_t *o, ctr_fn fn)
{
    if (!o->all && optind >= argc)
        return rl_cli_usage(o->verb, "give a container name or id (or -a)");
    if (o->all && optind < argc) return rl_cli_usage(o->verb, "give names or -a, not both");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_autostrv char **names = targets(s, argc, argv, o);
    size_t n = rl_strv_len(names), nfound = 0;
    rl_autofree char(*ids)[65] = xcalloc(n + 1, 65);
    rl_autofree rl_parallel_result_t *res = xcalloc(n + 1, sizeof *res);
    rl_autofree size_t *found = xcalloc(n + 1, sizeof *found);
    for (size_t i = 0; i < n; i++) {
        rl_error_t *err = &res[i].err;
        res[i].r = rl_engine_ctr_find(s, names[i], ids[i], err);
        if (res[i].r < 0 && !strcmp(o->verb, "rm") && rl_error_is(err, RL_ERR_NOT_FOUND))
            err->exit = 1;
        if (res[i].r == 0) found[nfound++] = i;
    }
    verb_opts_t run = *o;
    rl_autostrv char **with = xcalloc(nfound + 1, sizeof(char *));
    for (size_t k = 0; k < nfound; k++)
        with[k] = xstrdup(ids[found[k]]);
    run.with = with;
    o = &run;
    if (o->parallel && nfound > 1) {
        rl_autofree char(*fids)[65] = xcalloc(nfound, 65);
        rl_autofree rl_parallel_result_t *fres = xcalloc(nfound, sizeof *fres);
        for (size_t k = 0; k < nfound; k++)
            memcpy(fids[k], ids[found[k]], 65);
        rl_parallel_run(nfound, PARALLEL_MAX, par_job, &(par_ctx_t){o, fn, fids}, fres);
        for (size_t k = 0; k < nfound; k++)
            res[found[k]] = fres[k];
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (res[i].r == 0 && !(o->parallel && nfound > 1)) res[i].r = fn(s, ids[i], o, &res[i].err);
        int r = report(o, names[i], ids[i], res[i].r, &res[i].err);
        if (r) rc = r;
    }
    return rc;
}

static int do_stop(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    return rl_engine_stop(s, id, o->timeout, err);
}

static int do_kill(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    return rl_engine_kill(s, id, o->sig, err);
}

static int do_restart(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    if (rl_engine_stop(s, id, o->timeout, err) < 0) return -1;
    rl_engine_io_t io = {.detach = true};
    return rl_engine_start(s, id, &io, err);
}

static int do_rm(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    return rl_engine_rm(s, id, o->force, o->with, err);
}

static int do_start(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    return rl_engine_start(s, id, &o->io, err);
}

static int do_wait(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    int code = rl_engine_wait(s, id, o->running_wanted, err);
    if (code == -1 && err->msg) return -1;
    printf("%d\n", o->running_wanted ? 0 : code);
    return 1; /* printed */
}

/* --detach-keys and --sig-proxy, as rl run takes them */
static int parse_io(int c, rl_engine_io_t *io)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_mon_detach_keys_t k;
    if (c == 'K' && rl_mon_detach_keys_parse(optarg, &k, &err) < 0) return rl_cli_fail(&err), -1;
    if (c == 'K') io->detach_keys = optarg;
    if (c == 'P' && optarg && strcmp(optarg, "true") && strcmp(optarg, "false"))
        return rl_cli_usage("start", "--sig-proxy '%s': use true or false", optarg), -1;
    if (c == 'P') io->no_sig_proxy = optarg && !strcmp(optarg, "false");
    return 0;
}

static int parse_common(int argc, char **argv, verb_opts_t *o, const char *shorts)
{
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"time", required_argument, NULL, 't'},
                                         {"signal", required_argument, NULL, 's'},
                                         {"attach", no_argument, NULL, 'A'},
                                         {"interactive", no_argument, NULL, 'i'},
                                         {"volumes", no_argument, NULL, 'v'},
                                         {"condition", required_argument, NULL, 'c'},
                                         {"detach-keys", required_argument, NULL, 'K'},
                                         {"sig-proxy", optional_argument, NULL, 'P'},
                                         {"depend", no_argument, NULL, 'D'},
                                         {0}};
    int c;
    while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (!strcmp(o->verb, "start"))
                o->attach = true;
            else
                o->all = true;
            break;
        case 'A':
            o->attach = true;
            break;
        case 'f':
            o->force = true;
            break;
        case 'i':
            o->io.stdin_on = true;
            break;
        case 'K':
        case 'P':
            if (parse_io(c, &o->io) < 0) return RL_EXIT_FAILURE;
            break;
        case 'v':
            break; /* rl has no named volumes yet: nothing more to remove */
        case 'D':
            if (strcmp(o->verb, "rm")) return rl_cli_bad_option(o->verb, argv);
            o->depend = true;
            break;
        case 't':
            if ((o->timeout = rl_cli_parse_uint("--time", optarg, 1 << 20)) < 0)
                return RL_EXIT_FAILURE;
            break;
        case 's':
            if ((o->sig = rl_signal_parse(optarg)) <= 0)
                return rl_cli_usage(o->verb, "--signal '%s': not a signal name or number", optarg);
            break;
        case 'c':
            if (!strcmp(optarg, "running"))
                o->running_wanted = true;
            else if (strcmp(optarg, "stopped") && strcmp(optarg, "exited"))
                return rl_cli_usage(o->verb, "--condition '%s': use running, stopped or exited",
                                    optarg);
            break;
        default:
            return rl_cli_bad_option(o->verb, argv);
        }
    }
    return 0;
}

static int verb(int argc, char **argv, verb_opts_t o, const char *shorts, ctr_fn fn)
{
    int rc = parse_common(argc, argv, &o, shorts);
    return rc ? rc : each(argc, argv, &o, fn);
}

int rl_cmd_stop(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "stop", .parallel = true, .timeout = 10},
                "at:", do_stop);
}

int rl_cmd_kill(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "kill", .parallel = true, .sig = SIGKILL},
                "as:", do_kill);
}

int rl_cmd_restart(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "restart", .parallel = true, .timeout = 10},
                "at:", do_restart);
}

int rl_cmd_rm(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "rm", .parallel = true, .timeout = 10},
                "afvt:", do_rm);
}

int rl_cmd_start(int argc, char **argv)
{
    verb_opts_t o = {.verb = "start"};
    int rc = parse_common(argc, argv, &o, "ai");
    if (rc) return rc;
    if (o.attach && argc - optind != 1) return rl_cli_usage("start", "-a: give one container");
    o.io.detach = !o.attach;
    if (!o.attach) return each(argc, argv, &o, do_start);
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    char id[65];
    rl_error_t err = RL_ERROR_INIT;
    if (rl_engine_ctr_find(s, argv[optind], id, &err) < 0) return rl_cli_fail(&err);
    int code = rl_engine_start(s, id, &o.io, &err);
    return code < 0 ? rl_cli_fail(&err) : code;
}

int rl_cmd_wait(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "wait"}, "", do_wait);
}
