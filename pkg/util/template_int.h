/* SPDX-License-Identifier: Apache-2.0 */
/* Private to pkg/util's templates (template.h): the parsed tree, and what
 * the evaluator and the functions share. */
#ifndef RL_UTIL_TEMPLATE_INT_H
#define RL_UTIL_TEMPLATE_INT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

typedef struct pipe pipe_t;

typedef enum { A_FIELD, A_ROOT, A_STRING, A_NUMBER, A_BOOL, A_FUNC, A_PIPE } arg_kind_t;

typedef struct arg {
    arg_kind_t kind;
    char *s;      /* FIELD, ROOT: the path after the dot ("" for .); STRING; FUNC: name */
    double num;   /* NUMBER */
    bool b;       /* BOOL */
    pipe_t *pipe; /* PIPE: (...) */
} arg_t;

typedef struct cmd {
    arg_t *args;
    size_t n;
} cmd_t;

struct pipe {
    cmd_t *cmds;
    size_t n;
};

typedef enum { N_TEXT, N_ACTION, N_IF, N_RANGE, N_WITH } node_kind_t;

typedef struct node {
    node_kind_t kind;
    char *text;              /* TEXT */
    pipe_t *pipe;            /* ACTION, IF, RANGE, WITH */
    struct node *body, *alt; /* IF, RANGE, WITH: the blocks; alt is {{else}}'s */
    struct node *next;
} node_t;

typedef struct eval {
    const char *tmpl;
    json_object *root;
    rl_strbuf_t *out;
    rl_error_t *err;
} eval_t;

/* The tree of tmpl, or NULL with err (template_parse.c). */
node_t *rl_tmpl_parse(const char *tmpl, rl_error_t *err);
void rl_tmpl_free(node_t *n);

/* A function of the templates (template_funcs.c): args are owned by the
 * caller; *out a new reference. NULL: no such function. */
typedef int (*rl_tmpl_fn_t)(eval_t *e, json_object **args, size_t n, json_object **out);
rl_tmpl_fn_t rl_tmpl_fn(const char *name);

/* Shared by the evaluator and the functions (template.c). */
int rl_tmpl_fail(eval_t *e, const char *fmt, const char *what);
bool rl_tmpl_truth(json_object *v);
const char *rl_tmpl_text(json_object *v); /* strings raw, the rest compact JSON */

#endif
