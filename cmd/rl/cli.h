/* Shared by the verbs of the CLI: the only layer that prints or exits. */
#ifndef RL_CMD_CLI_H
#define RL_CMD_CLI_H

#include "pkg/util/error.h"

#define RL_EXIT_FAILURE 125 /* rl itself failed (podman's convention) */

typedef struct rl_verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} rl_verb_t;

/* Print "rl: <msg>" for err and return the exit code it asks for. */
int rl_cli_fail(rl_error_t *err);
/* Print "rl: <what>: <fmt>" usage error; returns RL_EXIT_FAILURE. */
int rl_cli_usage(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse a non-negative int option value; < 0 with a message when invalid. */
int rl_cli_parse_uint(const char *opt, const char *val, int max);

int rl_cmd_oci(int argc, char **argv);
int rl_cmd_version(int argc, char **argv);

#endif
