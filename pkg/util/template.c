/* SPDX-License-Identifier: Apache-2.0 */
/* Go templates over JSON (see template.h): template_parse.c makes the tree,
 * this file walks it, template_funcs.c has the functions; every value is an
 * owned json-c reference (NULL: no value). */
#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "template_int.h"
#include "xalloc.h"

/* --- evaluation --- */

int rl_tmpl_fail(eval_t *e, const char *fmt, const char *what)
{
    return rl_error_setk(e->err, RL_ERR_INVALID, 0, "--format '%s': %s%s", e->tmpl, fmt, what);
}

static json_object *str(const char *s)
{
    return json_object_new_string(s);
}

bool rl_tmpl_truth(json_object *v)
{
    switch (v ? json_object_get_type(v) : json_type_null) {
    case json_type_null:
        return false;
    case json_type_boolean:
        return json_object_get_boolean(v);
    case json_type_int:
        return json_object_get_int64(v) != 0;
    case json_type_double:
        return json_object_get_double(v) != 0;
    case json_type_string:
        return json_object_get_string_len(v) > 0;
    case json_type_array:
        return json_object_array_length(v) > 0;
    case json_type_object:
        return json_object_object_length(v) > 0;
    }
    return false;
}

/* The value as text: strings raw, the rest compact JSON, null "<no value>". */
const char *rl_tmpl_text(json_object *v)
{
    if (!v) return "<no value>";
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    return json_object_to_json_string_ext(v,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* .A.B from v: a new reference (NULL for a JSON null); -1 when a key is not there. */
static int field(eval_t *e, json_object *v, const char *path, json_object **out)
{
    json_object *cur = v;
    for (const char *p = path; *p;) {
        if (*p == '.') p++;
        const char *q = p;
        while (*q && *q != '.')
            q++;
        if (q == p) break;
        rl_autofree char *key = xstrndup(p, (size_t)(q - p));
        json_object *next = NULL;
        if (!cur || !json_object_is_type(cur, json_type_object) ||
            !json_object_object_get_ex(cur, key, &next)) {
            rl_autofree char *what = xasprintf("'.%s'", path[0] == '.' ? path + 1 : path);
            return rl_tmpl_fail(e, "no field ", what);
        }
        cur = next, p = q;
    }
    *out = json_object_get(cur);
    return 0;
}

static int eval_pipe(eval_t *e, const pipe_t *p, json_object *dot, json_object **out);

static int eval_arg(eval_t *e, const arg_t *a, json_object *dot, json_object **out)
{
    switch (a->kind) {
    case A_FIELD:
        return field(e, dot, a->s, out);
    case A_ROOT:
        return field(e, e->root, a->s, out);
    case A_STRING:
        return *out = str(a->s), 0;
    case A_NUMBER:
        return *out = a->num == (double)(long long)a->num ? json_object_new_int64((long long)a->num)
                                                          : json_object_new_double(a->num),
               0;
    case A_BOOL:
        return *out = json_object_new_boolean(a->b), 0;
    case A_PIPE:
        return eval_pipe(e, a->pipe, dot, out);
    case A_FUNC: /* a function without arguments (as an argument) */
        return rl_tmpl_fail(e, "a function used as a value: ", a->s);
    }
    return -1;
}

static void put_all(json_object **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_put(v[i]);
}

/* One command; prev is the pipeline's value so far (passed last), or absent. */
static int eval_cmd(eval_t *e, const cmd_t *c, json_object *dot, json_object *prev, bool has_prev,
                    json_object **out)
{
    if (c->args[0].kind != A_FUNC) {
        if (c->n > 1 || has_prev) return rl_tmpl_fail(e, "only a function takes arguments", "");
        return eval_arg(e, &c->args[0], dot, out);
    }
    rl_tmpl_fn_t fn = rl_tmpl_fn(c->args[0].s);
    if (!fn) return rl_tmpl_fail(e, "no function ", c->args[0].s);
    size_t n = c->n - 1 + (has_prev ? 1 : 0);
    json_object **args = xcalloc(n ? n : 1, sizeof *args);
    int r = 0;
    for (size_t i = 1; r == 0 && i < c->n; i++)
        r = eval_arg(e, &c->args[i], dot, &args[i - 1]);
    if (has_prev) args[n - 1] = json_object_get(prev);
    if (r == 0) r = fn(e, args, n, out);
    put_all(args, n);
    free(args);
    return r;
}

static int eval_pipe(eval_t *e, const pipe_t *p, json_object *dot, json_object **out)
{
    json_object *v = NULL;
    for (size_t i = 0; i < p->n; i++) {
        json_object *next = NULL;
        if (eval_cmd(e, &p->cmds[i], dot, v, i > 0, &next) < 0) return json_object_put(v), -1;
        json_object_put(v);
        v = next;
    }
    *out = v;
    return 0;
}

static int run_list(eval_t *e, const node_t *n, json_object *dot);

static int by_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* range over an array's elements, or an object's values in key order */
static int run_range(eval_t *e, const node_t *n, json_object *v, json_object *dot)
{
    if (!rl_tmpl_truth(v)) return n->alt ? run_list(e, n->alt, dot) : 0;
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            if (run_list(e, n->body, json_object_array_get_idx(v, i)) < 0) return -1;
        return 0;
    }
    if (!json_object_is_type(v, json_type_object))
        return rl_tmpl_fail(e, "range over a value that is no list: ", rl_tmpl_text(v));
    size_t k = 0, len = (size_t)json_object_object_length(v);
    char **keys = xcalloc(len + 1, sizeof *keys);
    json_object_object_foreach(v, key, val)
    {
        (void)val;
        keys[k++] = key;
    }
    qsort(keys, k, sizeof *keys, by_key);
    int r = 0;
    for (size_t i = 0; r == 0 && i < k; i++) {
        json_object *val = NULL;
        json_object_object_get_ex(v, keys[i], &val);
        r = run_list(e, n->body, val);
    }
    free(keys);
    return r;
}

static int run_node(eval_t *e, const node_t *n, json_object *dot)
{
    if (n->kind == N_TEXT) {
        for (const char *p = n->text; *p; p++) {
            if (p[0] == '\\' && (p[1] == 'n' || p[1] == 't'))
                rl_strbuf_putc(e->out, *++p == 'n' ? '\n' : '\t');
            else
                rl_strbuf_putc(e->out, *p);
        }
        return 0;
    }
    json_object *v = NULL;
    if (eval_pipe(e, n->pipe, dot, &v) < 0) return -1;
    int r = 0;
    if (n->kind == N_ACTION)
        rl_strbuf_append(e->out, rl_tmpl_text(v));
    else if (n->kind == N_IF)
        r = rl_tmpl_truth(v) ? run_list(e, n->body, dot) : n->alt ? run_list(e, n->alt, dot) : 0;
    else if (n->kind == N_WITH)
        r = rl_tmpl_truth(v) ? run_list(e, n->body, v) : n->alt ? run_list(e, n->alt, dot) : 0;
    else
        r = run_range(e, n, v, dot);
    json_object_put(v);
    return r;
}

static int run_list(eval_t *e, const node_t *n, json_object *dot)
{
    for (; n; n = n->next)
        if (run_node(e, n, dot) < 0) return -1;
    return 0;
}

int rl_template_render(const char *tmpl, json_object *obj, rl_strbuf_t *out, rl_error_t *err)
{
    node_t *tree = rl_tmpl_parse(tmpl, err);
    if (!tree) return -1;
    eval_t e = {.tmpl = tmpl, .root = obj, .out = out, .err = err};
    int r = run_list(&e, tree, obj);
    rl_tmpl_free(tree);
    return r;
}
