/* SPDX-License-Identifier: Apache-2.0 */
/* rl: global flags and the verb table. Invoked as "rl-oci", rl is the
 * runc-compatible OCI runtime (`rl oci ...`). */
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pkg/util/phase.h"
#include "pkg/util/log.h"
#include "storage/driver.h"

#ifndef RL_VERSION
#define RL_VERSION "0.1.0"
#endif

/* Verbs that take no options: their command lines, for --help. */
static const rl_cli_opt_t no_opts[] = {RL_OPT_END};
static const rl_cli_cmd_t top_cmd = {"top", "show the processes of a running container",
                                     "CONTAINER [DESCRIPTOR...]", no_opts, false};
static const rl_cli_cmd_t rename_cmd = {"rename", "give a container a new name",
                                        "CONTAINER NEW_NAME", no_opts, false};
static const rl_cli_cmd_t tag_cmd = {"tag", "add names to an image", "IMAGE NAME...", no_opts,
                                     false};

/* The verbs. Those with an option table (cmd) take their summary and
 * --help from it; verbs of verbs (container, image, system, oci) dispatch
 * to theirs and have a synopsis of their own. */
static const rl_verb_t verbs[] = {
    {"run", rl_cmd_run, NULL, &rl_cli_run, NULL},
    {"create", rl_cmd_create, NULL, &rl_cli_create, NULL},
    {"start", rl_cmd_start, NULL, &rl_cli_start, NULL},
    {"stop", rl_cmd_stop, NULL, &rl_cli_stop, NULL},
    {"kill", rl_cmd_kill, NULL, &rl_cli_kill, NULL},
    {"restart", rl_cmd_restart, NULL, &rl_cli_restart, NULL},
    {"rm", rl_cmd_rm, NULL, &rl_cli_rm, NULL},
    {"ps", rl_cmd_ps, NULL, &rl_cli_ps, NULL},
    {"logs", rl_cmd_logs, NULL, &rl_cli_logs, NULL},
    {"wait", rl_cmd_wait, NULL, &rl_cli_wait, NULL},
    {"exec", rl_cmd_exec, NULL, &rl_cli_exec, NULL},
    {"attach", rl_cmd_attach, NULL, &rl_cli_attach, NULL},
    {"top", rl_cmd_top, NULL, &top_cmd, NULL},
    {"rename", rl_cmd_rename, NULL, &rename_cmd, NULL},
    {"port", rl_cmd_port, NULL, &rl_cli_port, NULL},
    {"stats", rl_cmd_stats, NULL, &rl_cli_stats, NULL},
    {"container", rl_cmd_container, "container verbs: ls, inspect, prune, ...", NULL,
     "ls|ps|inspect|prune|create|run|start|stop|kill|restart|rm|logs|wait|exec|attach|top|rename|"
     "stats ..."},
    {"pull", rl_cmd_pull, NULL, &rl_cli_pull, NULL},
    {"images", rl_cmd_images, NULL, &rl_cli_images, NULL},
    {"image", rl_cmd_image,
     "manage images (ls, rm, tag, inspect, exists, prune, pull, load, import)", NULL,
     "ls|rm|tag|inspect|exists|prune|pull|load|import ..."},
    {"rmi", rl_cmd_rmi, NULL, &rl_cli_rmi, NULL},
    {"tag", rl_cmd_tag, NULL, &tag_cmd, NULL},
    {"inspect", rl_cmd_inspect, NULL, &rl_cli_inspect, NULL},
    {"load", rl_cmd_load, NULL, &rl_cli_load, NULL},
    {"import", rl_cmd_import, NULL, &rl_cli_import, NULL},
    {"info", rl_cmd_info, NULL, &rl_cli_info, NULL},
    {"system", rl_cmd_system, "system df, prune, reset: the store's use and clean-up", NULL,
     "df | prune [-a] [-f] | reset [-f]"},
    {"oci", rl_cmd_oci, "the low-level OCI runtime (runc-compatible)", NULL,
     "COMMAND ...  (rl oci --help lists them)"},
    {"version", rl_cmd_version, NULL, &rl_cli_version, NULL},
};

rl_store_t *rl_cli_store(void)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_store_t *s = rl_store_open(rl_global.root, &err);
    if (!s) rl_cli_fail(&err);
    return s;
}

int rl_cli_fail(rl_error_t *err)
{
    rl_error_log("%s", err->msg ? err->msg : "unknown error");
    int code = err->exit ? err->exit : RL_EXIT_FAILURE;
    rl_error_clear(err);
    return code;
}

int rl_cli_usage(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    rl_error_log("%s: %s", what, msg ? msg : "usage error");
    free(msg);
    return RL_EXIT_FAILURE;
}

int rl_cli_bad_option(const char *verb, char **argv)
{
    /* An unknown long option is the word getopt just passed, and so is one
     * missing its value (only the last word can be); otherwise optopt names
     * the short option, which may sit in a group like -xa. */
    const char *last = argv[optind - 1];
    bool is_long = optopt <= ' ' || optopt >= 127 || (!argv[optind] && !strncmp(last, "--", 2));
    char shortopt[3] = {'-', (char)optopt, 0};
    const char *word = is_long ? last : shortopt;
    if (!*verb) { /* the global options */
        rl_error_log("'%s': unknown global option or missing value (see 'rl --help')", word);
        return RL_EXIT_FAILURE;
    }
    return rl_cli_usage(verb, "'%s': unknown option or missing value (see 'rl %s --help')", word,
                        verb);
}

int rl_cli_parse_uint(const char *opt, const char *val, int max)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < 0 || v > max) {
        rl_error_log("%s: '%s' is not a number between 0 and %d", opt, val, max);
        return -1;
    }
    return (int)v;
}

/* VERB --help, or VERB -h where -h means nothing else: the synopsis. */
static bool wants_help(const rl_verb_t *v, int argc, char **argv)
{
    if (argc < 2 || !strcmp(v->name, "oci")) return false; /* oci has its own */
    if (!strcmp(argv[1], "--help")) return true;
    return !strcmp(argv[1], "-h") && strcmp(v->name, "run") && strcmp(v->name, "create");
}

static int verb_help(const rl_verb_t *v)
{
    if (v->cmd)
        rl_cli_help(stdout, v->cmd);
    else
        printf("rl %s: %s\n\nusage: rl %s %s\n", v->name, v->help, v->name, v->usage);
    return 0;
}

void rl_cli_usage_all(FILE *f)
{
    fprintf(f, "usage: rl [GLOBAL OPTIONS] COMMAND [ARGS...]\n\nglobal options:\n");
    rl_cli_print_options(f, &rl_cli_global);
    fprintf(f, "\ncommands:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-10s %s\n", verbs[i].name,
                verbs[i].cmd ? verbs[i].cmd->summary : verbs[i].help);
}

int main(int argc, char **argv)
{
    rl_phase("main");
#ifdef RL_OCI_ONLY
    /* build/rl-oci: the runtime under whatever name it was copied to */
    return rl_cmd_oci(argc, argv);
#endif
    /* rl linked as rl-oci is `rl oci` too: engines and schedulers call it as runc. */
    char *base = basename(argv[0]);
    if (!strcmp(base, "rl-oci")) return rl_cmd_oci(argc, argv);
    opterr = 0; /* each verb prints its own one-line error */
    if (rl_cli_parse_global(argc, argv) < 0) return RL_EXIT_FAILURE;
    if (optind >= argc) {
        rl_cli_usage_all(stderr);
        return RL_EXIT_FAILURE;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(argv[optind], verbs[i].name)) continue;
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        optind = 0; /* each verb parses its own flags */
        if (wants_help(&verbs[i], sub_argc, sub_argv)) return verb_help(&verbs[i]);
        return verbs[i].run(sub_argc, sub_argv);
    }
    return rl_cli_usage(argv[optind], "unknown command (see 'rl --help')");
}
