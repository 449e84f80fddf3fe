/* SPDX-License-Identifier: Apache-2.0 */
/* `rl stop`, `rl kill`, `rl restart`, `rl rm`, `rl start`, `rl wait`: each
 * name or id in turn (pkg/engine/ctr.h), printed back as podman does. */
#include <errno.h>
#include <getopt.h> /* optind */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/monitor/detachkeys.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
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
    bool ignore;       /* rm, stop --ignore: a missing container is no error */
    bool latest;       /* -l: the container created last */
    char **cidfiles;   /* --cidfile: each holds an id */
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

/* --cidfile FILE: the id it holds, as podman reads it (surrounding
 * blanks dropped); NULL after the error line. */
static char *read_cidfile(const char *verb, const char *path)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autostrv char **lines = NULL;
    if (rl_fs_read_lines(path, &lines, &err) < 0) {
        rl_cli_usage(verb, "--cidfile %s: %s", path, err.msg);
        rl_error_clear(&err);
        return NULL;
    }
    return xstrdup(lines[0] ? lines[0] : "");
}

/* The targets: the names given (and the ids of --cidfile, --latest), or
 * with -a every container. NULL after an error line. */
static char **targets(rl_store_t *s, int argc, char **argv, const verb_opts_t *o)
{
    char **v = xcalloc(1, sizeof(char *));
    if (!o->all) {
        for (int i = optind; i < argc; i++)
            rl_strv_push(&v, xstrdup(argv[i]));
        for (size_t i = 0; o->cidfiles && o->cidfiles[i]; i++) {
            char *id = read_cidfile(o->verb, o->cidfiles[i]);
            if (!id) return rl_strv_free(v), NULL;
            rl_strv_push(&v, id);
        }
        char id[65];
        rl_error_t err = RL_ERROR_INIT;
        if (o->latest && rl_engine_ctr_latest(s, id, &err) < 0)
            return rl_cli_fail(&err), rl_strv_free(v), NULL;
        if (o->latest) rl_strv_push(&v, xstrdup(id));
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
 * id), or the error; r > 0: nothing to print (wait printed its own, start
 * found it running). */
static int report(const verb_opts_t *o, const char *name, const char *id, int r, rl_error_t *err)
{
    if (r < 0) return rl_cli_fail(err);
    if (r == 0) printf("%s\n", o->all ? id : name);
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
    bool named = optind < argc || o->cidfiles || o->latest;
    if (!o->all && !named) return rl_cli_usage(o->verb, "give a container name or id (or -a)");
    if (o->all && named) return rl_cli_usage(o->verb, "give names or -a, not both");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_autostrv char **names = targets(s, argc, argv, o);
    if (!names) return RL_EXIT_FAILURE;
    /* podman's rm -f: a container already gone is what was asked for */
    bool ignore = o->ignore || (!strcmp(o->verb, "rm") && o->force);
    size_t n = rl_strv_len(names), nfound = 0;
    rl_autofree char(*ids)[65] = xcalloc(n + 1, 65);
    rl_autofree rl_parallel_result_t *res = xcalloc(n + 1, sizeof *res);
    rl_autofree size_t *found = xcalloc(n + 1, sizeof *found);
    for (size_t i = 0; i < n; i++) {
        rl_error_t *err = &res[i].err;
        res[i].r = rl_engine_ctr_find(s, names[i], ids[i], err);
        if (res[i].r < 0 && ignore && rl_error_is(err, RL_ERR_NOT_FOUND)) {
            rl_error_clear(err);
            res[i].r = 1; /* nothing to say */
            continue;
        }
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
        if (res[i].r == 1 && ignore) continue; /* missing, and --ignore */
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
    return rl_engine_start(s, id, &io, err) < 0 ? -1 : 0;
}

static int do_rm(rl_store_t *s, const char *id, const verb_opts_t *o, rl_error_t *err)
{
    return rl_engine_rm(s, id, o->force, o->timeout, o->with, err);
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

static int set_time(void *ctx, const char *v)
{
    verb_opts_t *o = ctx;
    return (o->timeout = rl_cli_parse_uint("--time", v, 1 << 20)) < 0 ? -1 : 0;
}

static int set_signal(void *ctx, const char *v)
{
    verb_opts_t *o = ctx;
    /* 0: only whether it could be signalled (it runs), as podman and kill(2) */
    if (!strcmp(v, "0")) return o->sig = 0, 0;
    if ((o->sig = rl_signal_parse(v)) > 0) return 0;
    rl_cli_usage(o->verb, "--signal '%s': not a signal name or number", v);
    return -1;
}

static int set_condition(void *ctx, const char *v)
{
    verb_opts_t *o = ctx;
    if (!strcmp(v, "running")) return o->running_wanted = true, 0;
    if (!strcmp(v, "stopped") || !strcmp(v, "exited")) return 0;
    rl_cli_usage(o->verb, "--condition '%s': use running, stopped or exited", v);
    return -1;
}

#define ALL(what) RL_FLAG("all", 'a', verb_opts_t, all, what " every container")
#define PICK                                                                                       \
    RL_LIST("cidfile", 0, "FILE", verb_opts_t, cidfiles, "the container whose id FILE holds"),     \
        RL_FLAG("latest", 'l', verb_opts_t, latest, "the container created last")
#define TIME(what)                                                                                 \
    RL_FN("time", 't', "SECONDS", set_time, what " (default: --stop-timeout, else 10)"),           \
        RL_FN("timeout", 0, "SECONDS", set_time, NULL)

static const rl_cli_opt_t stop_opts[] = {
    ALL("stop"),
    PICK,
    TIME("seconds to wait before SIGKILL"),
    RL_FLAG("ignore", 'i', verb_opts_t, ignore, "a container that does not exist is no error"),
    RL_OPT_END,
};
static const rl_cli_opt_t kill_opts[] = {
    ALL("signal"),
    PICK,
    RL_FN("signal", 's', "SIGNAL", set_signal, "the signal (name or number; default KILL)"),
    RL_OPT_END,
};
static const rl_cli_opt_t restart_opts[] = {
    ALL("restart"),
    PICK,
    TIME("seconds to wait before SIGKILL"),
    RL_OPT_END,
};
static const rl_cli_opt_t rm_opts[] = {
    ALL("remove"),
    PICK,
    RL_FLAG("force", 'f', verb_opts_t, force,
            "stop a running container first; a missing one is no error"),
    RL_FN("time", 't', "SECONDS", set_time, "with -f: seconds to wait before SIGKILL (default 0)"),
    RL_IGNORED("volumes", 'v', NULL, "anonymous volumes too (rl has none yet)"),
    RL_FLAG("depend", 0, verb_opts_t, depend, "with the containers that join them"),
    RL_FLAG("ignore", 'i', verb_opts_t, ignore, "a container that does not exist is no error"),
    RL_OPT_END,
};
static const rl_cli_opt_t start_opts[] = {
    RL_FLAG("attach", 'a', verb_opts_t, attach, "in the foreground, with its output"),
    RL_FLAG("all", 0, verb_opts_t, all, "start every container"),
    RL_FLAG("latest", 'l', verb_opts_t, latest, "the container created last"),
    RL_FLAG("interactive", 'i', verb_opts_t, io.stdin_on, "pass stdin through (with -a)"),
    RL_IO_OPTS(offsetof(verb_opts_t, io)),
    RL_OPT_END,
};
static const rl_cli_opt_t wait_opts[] = {
    RL_FN("condition", 0, "running|stopped|exited", set_condition, "what to wait for"),
    RL_FLAG("latest", 'l', verb_opts_t, latest, "the container created last"),
    RL_IGNORED("interval", 'i', "DURATION",
               "podman's polling interval (rl is told, it does not poll)"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_stop = {
    "stop", "stop containers: their stop signal, then SIGKILL after -t seconds", "CONTAINER...",
    stop_opts, true};
const rl_cli_cmd_t rl_cli_kill = {"kill", "send a signal to containers", "CONTAINER...", kill_opts,
                                  true};
const rl_cli_cmd_t rl_cli_restart = {"restart", "stop and start containers", "CONTAINER...",
                                     restart_opts, true};
const rl_cli_cmd_t rl_cli_rm = {"rm", "remove containers", "CONTAINER...", rm_opts, true};
const rl_cli_cmd_t rl_cli_start = {"start",
                                   "start created or exited containers (-a: in the foreground)",
                                   "CONTAINER...", start_opts, true};
const rl_cli_cmd_t rl_cli_wait = {"wait", "wait for containers to exit and print their exit codes",
                                  "CONTAINER...", wait_opts, true};

static int verb(int argc, char **argv, verb_opts_t o, const rl_cli_cmd_t *cmd, ctr_fn fn)
{
    return rl_cli_parse(cmd, argc, argv, &o) < 0 ? RL_EXIT_FAILURE : each(argc, argv, &o, fn);
}

int rl_cmd_stop(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "stop", .parallel = true, .timeout = -1},
                &rl_cli_stop, do_stop);
}

int rl_cmd_kill(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "kill", .parallel = true, .sig = SIGKILL},
                &rl_cli_kill, do_kill);
}

int rl_cmd_restart(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "restart", .parallel = true, .timeout = -1},
                &rl_cli_restart, do_restart);
}

int rl_cmd_rm(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "rm", .parallel = true, .timeout = 0}, &rl_cli_rm,
                do_rm);
}

int rl_cmd_start(int argc, char **argv)
{
    verb_opts_t o = {.verb = "start"};
    if (rl_cli_parse(&rl_cli_start, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    if (o.attach && (o.all || argc - optind + o.latest != 1))
        return rl_cli_usage("start", "-a: give one container");
    o.io.detach = !o.attach;
    if (!o.attach) return each(argc, argv, &o, do_start);
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    char id[65];
    rl_error_t err = RL_ERROR_INIT;
    if ((o.latest ? rl_engine_ctr_latest(s, id, &err)
                  : rl_engine_ctr_find(s, argv[optind], id, &err)) < 0)
        return rl_cli_fail(&err);
    int code = rl_engine_start(s, id, &o.io, &err);
    return code < 0 ? rl_cli_fail(&err) : code;
}

int rl_cmd_wait(int argc, char **argv)
{
    return verb(argc, argv, (verb_opts_t){.verb = "wait"}, &rl_cli_wait, do_wait);
}
