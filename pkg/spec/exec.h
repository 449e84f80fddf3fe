/* SPDX-License-Identifier: Apache-2.0 */
/* The process of an exec into a running container (runc exec): the
 * container's own process with the command line's changes, or a whole
 * process object from a file (--process). */
#ifndef RL_SPEC_EXEC_H
#define RL_SPEC_EXEC_H

#include <stdbool.h>

#include "pkg/util/error.h"
#include "spec.h"

typedef struct rl_spec_exec {
    const char *process_file; /* --process: everything from this file */
    char **args;              /* else: the container's process with these args */
    char **env;               /* appended */
    const char *cwd;
    const char *user; /* "UID[:GID]" */
    char **caps;      /* added to the bounding, effective and permitted sets */
    char **gids;      /* additional gids */
    bool tty, tty_set, no_new_privs;
} rl_spec_exec_t;

int rl_spec_exec_process(const rl_spec_t *spec, const rl_spec_exec_t *e, rl_spec_process_t *out,
                         rl_error_t *err);

#endif
