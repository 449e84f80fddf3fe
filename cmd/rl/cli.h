/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the verbs of the CLI: the only layer that prints or exits. */
#ifndef RL_CMD_CLI_H
#define RL_CMD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "pkg/transport/progress.h"
#include "pkg/util/error.h"
#include "storage/store.h"

#define RL_EXIT_FAILURE 125 /* rl itself failed (podman's convention) */

typedef struct rl_verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
    const rl_cli_cmd_t *cmd; /* its options: --help is made from them */
    const char *usage;       /* without cmd (verbs of verbs): the synopsis after "rl VERB" */
} rl_verb_t;

/* Print "rl: <msg>" for err and return the exit code it asks for. */
int rl_cli_fail(rl_error_t *err);
/* Print "rl: <what>: <fmt>" usage error; returns RL_EXIT_FAILURE. */
int rl_cli_usage(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long returned '?': "rl: VERB: unknown option or missing value:
 * 'X' (see 'rl VERB --help')"; returns RL_EXIT_FAILURE. */
int rl_cli_bad_option(const char *verb, char **argv);
/* Parse a non-negative int option value; < 0 with a message when invalid. */
int rl_cli_parse_uint(const char *opt, const char *val, int max);

/* Global flags (before the verb). */
typedef struct rl_cli_global {
    const char *root;           /* --root: the store */
    const char *storage_driver; /* --storage-driver */
} rl_cli_global_t;
extern rl_cli_global_t rl_global;
extern const rl_cli_cmd_t rl_cli_global;
/* The global options before the verb; the verb's index, or -1 after an error line. */
int rl_cli_parse_global(int argc, char **argv);
/* rl --help: the global options and the verbs. */
void rl_cli_usage_all(FILE *f);

/* The user's store (--root or the default); NULL after printing the error. */
rl_store_t *rl_cli_store(void);
/* podman's human sizes ("4.51 MB") and ages ("3 weeks ago"). */
char *rl_cli_human_size(uint64_t bytes);
char *rl_cli_human_age(int64_t then);
/* Parse an RFC 3339 time to unix seconds (0 when it cannot). */
int64_t rl_cli_parse_time(const char *s);
bool rl_cli_isatty_out(void);
/* Where a pull's progress is drawn (stderr, podman's lines; bars on a
 * terminal); NULL when quiet. st holds the drawing's state. */
typedef struct rl_cli_progress {
    rl_progress_t p;
    size_t drawn; /* bar lines on screen to redraw over */
} rl_cli_progress_t;
const rl_progress_t *rl_cli_progress(rl_cli_progress_t *st, bool quiet);

/* The verbs' command lines (option tables), for --help and the parsers. */
extern const rl_cli_cmd_t rl_cli_run, rl_cli_create, rl_cli_start, rl_cli_stop, rl_cli_kill,
    rl_cli_restart, rl_cli_rm, rl_cli_wait, rl_cli_ps, rl_cli_logs, rl_cli_exec, rl_cli_attach,
    rl_cli_port, rl_cli_stats, rl_cli_pull, rl_cli_images, rl_cli_rmi, rl_cli_inspect, rl_cli_load,
    rl_cli_import, rl_cli_info, rl_cli_version;

int rl_cmd_oci(int argc, char **argv);
int rl_cmd_images(int argc, char **argv);
int rl_cmd_image(int argc, char **argv);
int rl_cmd_rmi(int argc, char **argv);
int rl_cmd_tag(int argc, char **argv);
int rl_cmd_inspect(int argc, char **argv);
int rl_cmd_image_inspect(int argc, char **argv);
int rl_cmd_image_exists(int argc, char **argv);
int rl_cmd_image_prune(int argc, char **argv);
int rl_cmd_import(int argc, char **argv);
int rl_cmd_load(int argc, char **argv);
int rl_cmd_pull(int argc, char **argv);
int rl_cmd_run(int argc, char **argv);
int rl_cmd_create(int argc, char **argv);
int rl_cmd_info(int argc, char **argv);
int rl_cmd_system(int argc, char **argv);
int rl_cmd_version(int argc, char **argv);
/* --version (rl's and rl oci's): "rl version X", as runc and podman say theirs. */
int rl_cli_print_version(void);
int rl_cmd_ps(int argc, char **argv);
int rl_cmd_logs(int argc, char **argv);
int rl_cmd_stop(int argc, char **argv);
int rl_cmd_kill(int argc, char **argv);
int rl_cmd_restart(int argc, char **argv);
int rl_cmd_rm(int argc, char **argv);
int rl_cmd_start(int argc, char **argv);
int rl_cmd_wait(int argc, char **argv);
int rl_cmd_exec(int argc, char **argv);
int rl_cmd_attach(int argc, char **argv);
int rl_cmd_top(int argc, char **argv);
int rl_cmd_stats(int argc, char **argv);
int rl_cmd_rename(int argc, char **argv);
int rl_cmd_port(int argc, char **argv);
int rl_cmd_container(int argc, char **argv);
int rl_cmd_container_prune(int argc, char **argv);
int rl_cmd_container_inspect(int argc, char **argv);
/* A destructive verb without -f ("remove ..."): ask on a terminal (0 yes,
 * -1 no), else the one-line error (its exit code). */
int rl_cli_confirm(const char *what, const char *question);

#endif
