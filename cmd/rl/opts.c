/* SPDX-License-Identifier: Apache-2.0 */
/* Option tables → getopt_long, --help and the usage line (see opts.h). */
#include "opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/launch.h"
#include "pkg/image/manifest.h"
#include "pkg/monitor/detachkeys.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"

#define LONG_BASE 256 /* getopt's value for table entry i: LONG_BASE + i */

static size_t count(const rl_cli_opt_t *o)
{
    size_t n = 0;
    while (o[n].name)
        n++;
    return n;
}

static int has_arg(const rl_cli_opt_t *o)
{
    return o->optional ? optional_argument : o->arg ? required_argument : no_argument;
}

#define HELP (LONG_BASE - 1)

/* getopt's tables for c: the long options (and --help) and the short
 * ones' string. */
static struct option *longopts(const rl_cli_cmd_t *c, rl_strbuf_t *shorts)
{
    size_t n = count(c->opts);
    struct option *lo = xcalloc(n + 2, sizeof *lo);
    lo[n] = (struct option){"help", no_argument, NULL, HELP};
    rl_strbuf_append(shorts, c->interspersed ? "" : "+");
    for (size_t i = 0; i < n; i++) {
        const rl_cli_opt_t *o = &c->opts[i];
        lo[i] = (struct option){o->name, has_arg(o), NULL, LONG_BASE + (int)i};
        if (!o->short_name) continue;
        rl_strbuf_appendf(shorts, "%c%s", o->short_name, o->optional ? "::" : o->arg ? ":" : "");
    }
    return lo;
}

static const rl_cli_opt_t *by_code(const rl_cli_cmd_t *c, int code)
{
    if (code >= LONG_BASE) return &c->opts[code - LONG_BASE];
    for (const rl_cli_opt_t *o = c->opts; o->name; o++)
        if (o->short_name == code) return o;
    return NULL;
}

static int set(const rl_cli_opt_t *o, void *ctx, const char *value)
{
    if (o->kind == RL_OPT_IGNORED) return 0; /* ctx may be NULL then */
    char *at = (char *)ctx + o->off;
    switch (o->kind) {
    case RL_OPT_FLAG:
        *(bool *)at = true;
        return 0;
    case RL_OPT_STR:
        *(const char **)at = value;
        return 0;
    case RL_OPT_LIST:
        rl_strv_push((char ***)at, xstrdup(value));
        return 0;
    case RL_OPT_FN:
        return o->fn(at, value);
    case RL_OPT_IGNORED:
    case RL_OPT_LATER: /* refused by rl_cli_parse */
        return 0;
    }
    return 0;
}

int rl_cli_parse(const rl_cli_cmd_t *c, int argc, char **argv, void *ctx)
{
    rl_strbuf_t shorts = RL_STRBUF_INIT;
    rl_autofree struct option *lo = longopts(c, &shorts);
    int code, r = 0;
    optind = 0;
    while (r == 0 && (code = getopt_long(argc, argv, rl_strbuf_str(&shorts), lo, NULL)) != -1) {
        if (code == HELP) {
            rl_cli_help(stdout, c);
            exit(0);
        }
        const rl_cli_opt_t *o = code == '?' ? NULL : by_code(c, code);
        if (o && o->kind == RL_OPT_LATER)
            r = (rl_cli_usage(c->verb, "--%s needs %s, not in this version", o->name, o->help), -1);
        else
            r = o ? set(o, ctx, optarg) : (rl_cli_bad_option(c->verb, argv), -1);
        if (r > 0) r = 0;
    }
    rl_strbuf_free(&shorts);
    return r < 0 ? -1 : optind;
}

/* "-e, --env KEY=VALUE" */
static char *label(const rl_cli_opt_t *o)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    if (o->short_name) rl_strbuf_appendf(&sb, "-%c, ", o->short_name);
    rl_strbuf_appendf(&sb, "--%s", o->name);
    if (o->arg) rl_strbuf_appendf(&sb, o->optional ? "[=%s]" : " %s", o->arg);
    return rl_strbuf_steal(&sb);
}

void rl_cli_print_options(FILE *f, const rl_cli_cmd_t *c)
{
    for (const rl_cli_opt_t *o = c->opts; o->name; o++) {
        if (!o->help) continue;
        rl_autofree char *l = label(o);
        if (o->kind == RL_OPT_LATER)
            fprintf(f, "  %-30s not in this version: needs %s\n", l, o->help);
        else
            fprintf(f, "  %-30s %s\n", l, o->help);
    }
}

void rl_cli_help(FILE *f, const rl_cli_cmd_t *c)
{
    fprintf(f, "rl %s: %s\n\nusage: rl %s", c->verb, c->summary, c->verb);
    bool more = false;
    for (const rl_cli_opt_t *o = c->opts; o->name; o++) {
        if (!o->help || o->kind == RL_OPT_LATER) continue;
        if (!o->short_name) {
            more = true;
            continue;
        }
        if (o->arg)
            fprintf(f, " [-%c %s]", o->short_name, o->arg);
        else
            fprintf(f, " [-%c]", o->short_name);
    }
    fprintf(f, "%s%s%s\n", more ? " [OPTIONS]" : "", *c->operands ? " " : "", c->operands);
    if (!c->opts[0].name) return;
    fprintf(f, "\noptions:\n");
    rl_cli_print_options(f, c);
}

int rl_cli_set_detach_keys(void *io, const char *value)
{
    rl_mon_detach_keys_t k;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_mon_detach_keys_parse(value, &k, &err) < 0) return rl_cli_fail(&err), -1;
    ((rl_engine_io_t *)io)->detach_keys = value;
    return 0;
}

int rl_cli_set_sig_proxy(void *io, const char *value)
{
    bool on;
    if (rl_cli_parse_bool("--sig-proxy", value, &on) < 0) return -1;
    ((rl_engine_io_t *)io)->no_sig_proxy = !on;
    return 0;
}

int rl_cli_set_platform(void *platform, const char *value)
{
    /* the parts point into it: one command line, one --platform (the last wins) */
    static char buf[256];
    rl_error_t err = RL_ERROR_INIT;
    if (rl_platform_parse(value, platform, buf, sizeof buf, &err) < 0) return rl_cli_fail(&err), -1;
    return 0;
}

int rl_cli_parse_bool(const char *opt, const char *value, bool *out)
{
    if (!value || !strcmp(value, "true")) return *out = true, 0;
    if (!strcmp(value, "false")) return *out = false, 0;
    rl_cli_usage(opt, "'%s' is not true or false", value);
    return -1;
}
