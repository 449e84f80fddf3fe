/* SPDX-License-Identifier: Apache-2.0 */
/* Templates parsed into a tree of text, actions and blocks (template_int.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "template_int.h"
#include "xalloc.h"

#define MAX_DEPTH 32 /* nested blocks and parentheses */

typedef struct parser {
    const char *tmpl; /* for messages */
    const char *p;    /* where the text resumes */
    rl_error_t *err;
    int depth;
} parser_t;

static int fail(parser_t *ps, const char *fmt, const char *what)
{
    return rl_error_setk(ps->err, RL_ERR_INVALID, 0, "--format '%s': %s%s", ps->tmpl, fmt,
                         what ? what : "");
}

/* --- the tree's memory --- */

static void pipe_free(pipe_t *p);

static void cmd_clear(cmd_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->args[i].s);
        pipe_free(c->args[i].pipe);
    }
    free(c->args);
}

static void pipe_free(pipe_t *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++)
        cmd_clear(&p->cmds[i]);
    free(p->cmds);
    free(p);
}

void rl_tmpl_free(node_t *n)
{
    while (n) {
        node_t *next = n->next;
        free(n->text);
        pipe_free(n->pipe);
        rl_tmpl_free(n->body);
        rl_tmpl_free(n->alt);
        free(n);
        n = next;
    }
}

/* --- lexing an action's words --- */

static const char *skip_space(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* A quoted string at *s ("..." with \" \\ \n \t, or `...`); NULL when unclosed. */
static char *quoted(const char **s, const char *end)
{
    char q = **s;
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (const char *p = *s + 1; p < end; p++) {
        if (*p == q) {
            *s = p + 1;
            return rl_strbuf_steal(&sb);
        }
        if (q == '"' && *p == '\\' && p + 1 < end) {
            p++;
            rl_strbuf_putc(&sb, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
        } else {
            rl_strbuf_putc(&sb, *p);
        }
    }
    rl_strbuf_free(&sb);
    return NULL;
}

static pipe_t *parse_pipe(parser_t *ps, const char **s, const char *end, bool in_parens);

/* One operand at *s. */
static int parse_arg(parser_t *ps, const char **s, const char *end, arg_t *a)
{
    const char *p = *s;
    memset(a, 0, sizeof *a);
    if (*p == '.' || *p == '$') {
        a->kind = *p == '$' ? A_ROOT : A_FIELD;
        const char *q = *p == '$' ? p + 1 : p;
        const char *start = q;
        while (q < end && (*q == '.' || ident_char(*q)))
            q++;
        if (a->kind == A_ROOT && q > start && *start != '.') return fail(ps, "bad variable in ", p);
        a->s = xstrndup(start, (size_t)(q - start));
        *s = q;
        return 0;
    }
    if (*p == '"' || *p == '`') {
        a->kind = A_STRING;
        if (!(a->s = quoted(s, end))) return fail(ps, "unclosed quote", NULL);
        return 0;
    }
    if (*p == '(') {
        if (++ps->depth > MAX_DEPTH) return fail(ps, "nested too deep", NULL);
        *s = p + 1;
        a->kind = A_PIPE;
        if (!(a->pipe = parse_pipe(ps, s, end, true))) return -1;
        ps->depth--;
        return 0;
    }
    if (isdigit((unsigned char)*p) || (*p == '-' && p + 1 < end && isdigit((unsigned char)p[1]))) {
        char *e;
        a->kind = A_NUMBER;
        a->num = strtod(p, &e);
        if (e > end) e = (char *)end;
        *s = e;
        return 0;
    }
    if (isalpha((unsigned char)*p) || *p == '_') {
        const char *q = p;
        while (q < end && ident_char(*q))
            q++;
        a->s = xstrndup(p, (size_t)(q - p));
        a->kind = !strcmp(a->s, "true") || !strcmp(a->s, "false") ? A_BOOL : A_FUNC;
        a->b = !strcmp(a->s, "true");
        *s = q;
        return 0;
    }
    rl_autofree char *bad = xstrndup(p, 1);
    return fail(ps, "unexpected ", bad);
}

/* Commands separated by "|", up to end (or ")" in parentheses). */
static pipe_t *parse_pipe(parser_t *ps, const char **s, const char *end, bool in_parens)
{
    pipe_t *pp = xcalloc(1, sizeof *pp);
    cmd_t *c = NULL; /* the command being read; NULL after a "|" */
    for (;;) {
        *s = skip_space(*s, end);
        if (*s >= end || (in_parens && **s == ')')) break;
        if (**s == '|') {
            if (!c || !c->n)
                return pipe_free(pp), fail(ps, "empty command in a pipeline", NULL), NULL;
            c = NULL, (*s)++;
            continue;
        }
        if (!c) {
            pp->cmds = xreallocarray(pp->cmds, pp->n + 1, sizeof *pp->cmds);
            c = &pp->cmds[pp->n++];
            *c = (cmd_t){0};
        }
        c->args = xreallocarray(c->args, c->n + 1, sizeof *c->args);
        if (parse_arg(ps, s, end, &c->args[c->n]) < 0) return pipe_free(pp), NULL;
        c->n++;
    }
    if (in_parens && (*s >= end || **s != ')'))
        return pipe_free(pp), fail(ps, "unclosed '('", NULL), NULL;
    if (in_parens) (*s)++;
    if (!pp->n || !c || !c->n)
        return pipe_free(pp), fail(ps, "missing value in an action", NULL), NULL;
    return pp;
}

/* --- the template's structure --- */

typedef enum { T_EOF, T_TEXT, T_ACTION, T_IF, T_ELSE, T_ELSE_IF, T_END, T_RANGE, T_WITH } tok_t;

typedef struct token {
    tok_t kind;
    const char *a, *end; /* ACTION and the blocks: the words after the keyword */
    char *text;          /* TEXT */
} token_t;

static bool keyword(const char **a, const char *end, const char *kw)
{
    size_t n = strlen(kw);
    if ((size_t)(end - *a) < n || strncmp(*a, kw, n) || (*a + n < end && ident_char((*a)[n])))
        return false;
    *a += n;
    return true;
}

/* The next piece of the template: text up to "{{", or one action. */
static int next_token(parser_t *ps, token_t *t)
{
    const char *p = ps->p;
    memset(t, 0, sizeof *t);
    if (!*p) return t->kind = T_EOF, 0;
    if (p[0] != '{' || p[1] != '{') {
        const char *open = strstr(p, "{{");
        const char *stop = open ? open : p + strlen(p);
        /* "{{-": the text before loses its trailing space */
        const char *trim_end = stop;
        if (open && open[2] == '-' && (open[3] == ' ' || open[3] == '\t' || open[3] == '\n'))
            while (trim_end > p && isspace((unsigned char)trim_end[-1]))
                trim_end--;
        t->kind = T_TEXT;
        t->text = xstrndup(p, (size_t)(trim_end - p));
        ps->p = stop;
        return 0;
    }
    const char *close = strstr(p + 2, "}}");
    if (!close) return fail(ps, "unclosed '{{'", NULL);
    const char *a = p + 2, *end = close;
    if (*a == '-' && a + 1 < end && isspace((unsigned char)a[1])) a++;
    bool trim_after = end - a >= 2 && end[-1] == '-' && isspace((unsigned char)end[-2]);
    if (trim_after) end--;
    ps->p = close + 2;
    if (trim_after)
        while (isspace((unsigned char)*ps->p))
            ps->p++;
    a = skip_space(a, end);
    while (end > a && isspace((unsigned char)end[-1]))
        end--;
    if (end - a >= 4 && !strncmp(a, "/*", 2) && !strncmp(end - 2, "*/", 2))
        return t->kind = T_TEXT, t->text = xstrdup(""), 0; /* a comment */
    t->kind = keyword(&a, end, "if")      ? T_IF
              : keyword(&a, end, "range") ? T_RANGE
              : keyword(&a, end, "with")  ? T_WITH
              : keyword(&a, end, "end")   ? T_END
              : keyword(&a, end, "else")  ? T_ELSE
                                          : T_ACTION;
    if (t->kind == T_ELSE && keyword((a = skip_space(a, end), &a), end, "if")) t->kind = T_ELSE_IF;
    t->a = a, t->end = end;
    return 0;
}

static node_t *parse_list(parser_t *ps, token_t *stop);

static pipe_t *pipe_of(parser_t *ps, const token_t *t)
{
    const char *s = t->a;
    return parse_pipe(ps, &s, t->end, false);
}

/* After {{if}}, {{range}} or {{with}}: the body, an {{else}} (or {{else if}},
 * which nests another if), then {{end}}. */
static node_t *parse_block(parser_t *ps, const token_t *t, node_kind_t kind)
{
    if (++ps->depth > MAX_DEPTH) return fail(ps, "nested too deep", NULL), NULL;
    node_t *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    token_t stop;
    if (!(n->pipe = pipe_of(ps, t)) || (n->body = parse_list(ps, &stop), rl_error_is_set(ps->err)))
        return rl_tmpl_free(n), NULL;
    if (stop.kind == T_ELSE_IF && kind == N_IF) {
        n->alt = parse_block(ps, &stop, N_IF);
        if (!n->alt) return rl_tmpl_free(n), NULL;
    } else if (stop.kind == T_ELSE) {
        n->alt = parse_list(ps, &stop);
        if (rl_error_is_set(ps->err)) return rl_tmpl_free(n), NULL;
        if (stop.kind != T_END)
            return rl_tmpl_free(n), fail(ps, "{{else}} without {{end}}", NULL), NULL;
    } else if (stop.kind != T_END) {
        return rl_tmpl_free(n), fail(ps, "a block without {{end}}", NULL), NULL;
    }
    ps->depth--;
    return n;
}

/* Nodes up to {{end}}, {{else}} or the template's end (said in *stop). */
static node_t *parse_list(parser_t *ps, token_t *stop)
{
    node_t *head = NULL, **tail = &head;
    for (;;) {
        token_t t;
        if (next_token(ps, &t) < 0) return rl_tmpl_free(head), NULL;
        if (t.kind == T_EOF || t.kind == T_END || t.kind == T_ELSE || t.kind == T_ELSE_IF) {
            *stop = t;
            return head;
        }
        node_t *n = NULL;
        if (t.kind == T_TEXT) {
            n = xcalloc(1, sizeof *n);
            n->text = t.text;
        } else if (t.kind == T_ACTION) {
            n = xcalloc(1, sizeof *n);
            n->kind = N_ACTION;
            if (!(n->pipe = pipe_of(ps, &t))) return free(n), rl_tmpl_free(head), NULL;
        } else {
            n = parse_block(ps, &t, t.kind == T_IF ? N_IF : t.kind == T_RANGE ? N_RANGE : N_WITH);
            if (!n) return rl_tmpl_free(head), NULL;
        }
        *tail = n, tail = &n->next;
    }
}

node_t *rl_tmpl_parse(const char *tmpl, rl_error_t *err)
{
    parser_t ps = {.tmpl = tmpl, .p = tmpl, .err = err};
    token_t stop;
    node_t *tree = parse_list(&ps, &stop);
    if (rl_error_is_set(err)) return rl_tmpl_free(tree), NULL;
    if (stop.kind != T_EOF) {
        rl_tmpl_free(tree);
        fail(&ps, stop.kind == T_END ? "{{end}} without a block" : "{{else}} without a block",
             NULL);
        return NULL;
    }
    if (!tree) tree = calloc(1, sizeof *tree), tree->text = xstrdup(""); /* an empty template */
    return tree;
}
