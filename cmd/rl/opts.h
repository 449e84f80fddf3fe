/* SPDX-License-Identifier: Apache-2.0 */
/* One table per verb for its options: the flag's names, its argument, its
 * help line and what sets it. getopt's table, `rl VERB --help` and the
 * usage line are all made from it, so they cannot disagree. */
#ifndef RL_CMD_OPTS_H
#define RL_CMD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A custom setter: parse value (NULL for a flag, or an optional argument
 * left out) into ctx; < 0 after printing the error. */
typedef int (*rl_cli_set_fn)(void *ctx, const char *value);

typedef enum {
    RL_OPT_FLAG,    /* bool at off: true */
    RL_OPT_STR,     /* const char * at off: the value */
    RL_OPT_LIST,    /* char ** at off: the value appended (repeatable) */
    RL_OPT_FN,      /* fn(ctx + off, value) */
    RL_OPT_IGNORED, /* podman's or runc's, taken and without effect in rl */
    RL_OPT_LATER,   /* podman's, needing a feature rl has not yet (help names it):
                       refused by name, never silently ignored */
} rl_cli_opt_kind_t;

typedef struct rl_cli_opt {
    const char *name; /* long name, without "--" */
    int short_name;   /* 'a', or 0 */
    const char *arg;  /* the value's name in --help ("KEY=VALUE"); NULL: a flag */
    bool optional;    /* --name alone, or --name=VALUE (--sig-proxy) */
    rl_cli_opt_kind_t kind;
    size_t off;       /* where in ctx (FN: what its setter gets, 0: ctx itself) */
    rl_cli_set_fn fn; /* FN */
    const char *help; /* one line; NULL: an alias, not listed */
} rl_cli_opt_t;

#define RL_OPT_END                                                                                 \
    {                                                                                              \
        0                                                                                          \
    }
#define RL_FLAG(n, s, T, field, h)                                                                 \
    {                                                                                              \
        .name = n, .short_name = s, .kind = RL_OPT_FLAG, .off = offsetof(T, field), .help = h      \
    }
#define RL_STR(n, s, a, T, field, h)                                                               \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_STR, .off = offsetof(T, field),       \
        .help = h                                                                                  \
    }
#define RL_LIST(n, s, a, T, field, h)                                                              \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_LIST, .off = offsetof(T, field),      \
        .help = h                                                                                  \
    }
#define RL_FN(n, s, a, f, h)                                                                       \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_FN, .fn = f, .help = h                \
    }
/* a shared setter given a member of ctx */
#define RL_FN_AT(n, s, a, T, field, f, h)                                                          \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_FN, .off = offsetof(T, field),        \
        .fn = f, .help = h                                                                         \
    }
/* value optional: --n or --n=VALUE */
#define RL_FN_OPT(n, a, f, h)                                                                      \
    {                                                                                              \
        .name = n, .arg = a, .optional = true, .kind = RL_OPT_FN, .fn = f, .help = h               \
    }
#define RL_IGNORED(n, s, a, h)                                                                     \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_IGNORED, .help = h                    \
    }

/* podman's option that needs what is not in this version: "rl: run:
 * --memory needs resource limits (cgroups), not in this version". */
#define RL_LATER(n, s, a, needs)                                                                   \
    {                                                                                              \
        .name = n, .short_name = s, .arg = a, .kind = RL_OPT_LATER, .help = needs                  \
    }

/* A verb's command line: its name as messages say it ("run", "oci
 * create"), what it does in a line, the operands' synopsis, its options,
 * and whether options may follow operands (podman's rule for most verbs;
 * not for run, exec and the OCI verbs, where what follows is the
 * command's). */
typedef struct rl_cli_cmd {
    const char *verb;
    const char *summary;
    const char *operands;
    const rl_cli_opt_t *opts;
    bool interspersed;
} rl_cli_cmd_t;

/* Parse argv[1..] with the table into ctx. Returns the index of the first
 * operand, or -1 after printing one "rl: VERB: ..." line (exit 125).
 * --help prints the verb's help and exits 0. */
int rl_cli_parse(const rl_cli_cmd_t *c, int argc, char **argv, void *ctx);
/* "rl VERB: SUMMARY", "usage: rl VERB [OPTIONS] OPERANDS" and one line per
 * listed option. */
void rl_cli_help(FILE *f, const rl_cli_cmd_t *c);
/* One line per listed option of c. */
void rl_cli_print_options(FILE *f, const rl_cli_cmd_t *c);

/* "true", "false", or NULL for true (a flag given alone). */
int rl_cli_parse_bool(const char *opt, const char *value, bool *out);
/* Setters run, create, start and attach share, on the rl_engine_io_t at
 * offset io_off of their context: --detach-keys KEYS, --sig-proxy[=BOOL]. */
int rl_cli_set_detach_keys(void *io, const char *value);
int rl_cli_set_sig_proxy(void *io, const char *value);
#define RL_IO_OPTS(io_off)                                                                         \
    {.name = "detach-keys",                                                                        \
     .arg = "KEYS",                                                                                \
     .kind = RL_OPT_FN,                                                                            \
     .off = (io_off),                                                                              \
     .fn = rl_cli_set_detach_keys,                                                                 \
     .help = "keys that detach, leaving it running (ctrl-p,ctrl-q)"},                              \
    {                                                                                              \
        .name = "sig-proxy", .arg = "BOOL", .optional = true, .kind = RL_OPT_FN, .off = (io_off),  \
        .fn = rl_cli_set_sig_proxy, .help = "forward signals to the container (true)"              \
    }

/* pull's platform options (pull, run, create), on the rl_platform_t at
 * field of T: --platform OS/ARCH[/VARIANT] and its parts one by one. */
int rl_cli_set_platform(void *platform, const char *value);
#define RL_PLATFORM_OPTS(T, field)                                                                 \
    RL_FN_AT("platform", 0, "OS/ARCH[/VARIANT]", T, field, rl_cli_set_platform,                    \
             "the platform to pull"),                                                              \
        RL_STR("arch", 0, "ARCH", T, field.arch, "the architecture to pull"),                      \
        RL_STR("os", 0, "OS", T, field.os, "the operating system to pull"),                        \
        RL_STR("variant", 0, "VARIANT", T, field.variant, "the variant to pull")

#endif
