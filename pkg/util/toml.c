/* SPDX-License-Identifier: Apache-2.0 */
/* TOML subset parser (see toml.h). Recursive descent over a bounded
 * buffer; nesting depth is limited so hostile input cannot exhaust the stack. */
#include "toml.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/strbuf.h"

#define MAX_DEPTH 32

typedef struct p {
    const char *start, *s, *end, *name;
    rl_error_t *err;
    int depth;
} p_t;

static int failat(p_t *p, const char *what)
{
    size_t line = 1, col = 1;
    for (const char *c = p->start; c < p->s && c < p->end; c++) {
        if (*c == '\n')
            line++, col = 1;
        else
            col++;
    }
    return rl_error_set(p->err, 0, "%s:%zu:%zu: %s", p->name, line, col, what);
}

static bool eof(const p_t *p)
{
    return p->s >= p->end;
}

static void skip_ws(p_t *p)
{
    while (!eof(p) && (*p->s == ' ' || *p->s == '\t'))
        p->s++;
}

/* Whitespace, newlines and comments (inside arrays). */
static void skip_all(p_t *p)
{
    for (;;) {
        while (!eof(p) && isspace((unsigned char)*p->s))
            p->s++;
        if (!eof(p) && *p->s == '#') {
            while (!eof(p) && *p->s != '\n')
                p->s++;
            continue;
        }
        return;
    }
}

static int end_of_line(p_t *p)
{
    skip_ws(p);
    if (!eof(p) && *p->s == '#')
        while (!eof(p) && *p->s != '\n')
            p->s++;
    if (!eof(p) && *p->s == '\r') p->s++;
    if (!eof(p) && *p->s != '\n') return failat(p, "expected the end of the line");
    if (!eof(p)) p->s++;
    return 0;
}

static int hexval(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

static void put_utf8(rl_strbuf_t *b, unsigned long cp)
{
    if (cp < 0x80)
        rl_strbuf_putc(b, (char)cp);
    else if (cp < 0x800)
        rl_strbuf_putc(b, (char)(0xc0 | (cp >> 6))), rl_strbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
    else if (cp < 0x10000)
        rl_strbuf_putc(b, (char)(0xe0 | (cp >> 12))),
            rl_strbuf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f))),
            rl_strbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
    else
        rl_strbuf_putc(b, (char)(0xf0 | (cp >> 18))),
            rl_strbuf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f))),
            rl_strbuf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f))),
            rl_strbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
}

static int escape(p_t *p, rl_strbuf_t *b)
{
    if (eof(p)) return failat(p, "unterminated string");
    char c = *p->s++;
    switch (c) {
    case 'n':
        rl_strbuf_putc(b, '\n');
        return 0;
    case 't':
        rl_strbuf_putc(b, '\t');
        return 0;
    case 'r':
        rl_strbuf_putc(b, '\r');
        return 0;
    case 'b':
        rl_strbuf_putc(b, '\b');
        return 0;
    case 'f':
        rl_strbuf_putc(b, '\f');
        return 0;
    case '"':
    case '\\':
        rl_strbuf_putc(b, c);
        return 0;
    case 'u':
    case 'U': {
        int n = c == 'u' ? 4 : 8;
        unsigned long cp = 0;
        for (int i = 0; i < n; i++) {
            if (eof(p) || !isxdigit((unsigned char)*p->s)) return failat(p, "bad \\u escape");
            cp = cp * 16 + (unsigned long)hexval(*p->s++);
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return failat(p, "bad unicode escape");
        put_utf8(b, cp);
        return 0;
    }
    default:
        return failat(p, "unknown escape in string");
    }
}

static char *string(p_t *p)
{
    char q = *p->s++;
    if (p->end - p->s >= 2 && p->s[0] == q && p->s[1] == q)
        return failat(p, "multi-line strings are not supported"), NULL;
    rl_strbuf_t b = {0};
    while (!eof(p) && *p->s != q) {
        char c = *p->s++;
        if (c == '\n') return rl_strbuf_free(&b), failat(p, "unterminated string"), NULL;
        if (c == '\\' && q == '"') {
            if (escape(p, &b) < 0) return rl_strbuf_free(&b), NULL;
        } else {
            rl_strbuf_putc(&b, c);
        }
    }
    if (eof(p)) return rl_strbuf_free(&b), failat(p, "unterminated string"), NULL;
    p->s++;
    return rl_strbuf_steal(&b);
}

static char *key_part(p_t *p)
{
    skip_ws(p);
    if (eof(p)) return failat(p, "expected a key"), NULL;
    if (*p->s == '"' || *p->s == '\'') return string(p);
    const char *k = p->s;
    while (!eof(p) && (isalnum((unsigned char)*p->s) || *p->s == '_' || *p->s == '-'))
        p->s++;
    if (p->s == k) return failat(p, "expected a key"), NULL;
    return xstrndup(k, (size_t)(p->s - k));
}

/* a.b."c" → ["a","b","c"] */
static char **dotted_key(p_t *p)
{
    char **parts = NULL;
    for (;;) {
        char *k = key_part(p);
        if (!k) return rl_strv_free(parts), NULL;
        rl_strv_push(&parts, k);
        skip_ws(p);
        if (eof(p) || *p->s != '.') return parts;
        p->s++;
    }
}

static json_object *value(p_t *p);

static json_object *array(p_t *p)
{
    p->s++;
    json_object *a = json_object_new_array();
    for (;;) {
        skip_all(p);
        if (eof(p)) return json_object_put(a), failat(p, "unterminated array"), NULL;
        if (*p->s == ']') return p->s++, a;
        json_object *v = value(p);
        if (!v) return json_object_put(a), NULL;
        json_object_array_add(a, v);
        skip_all(p);
        if (eof(p)) return json_object_put(a), failat(p, "unterminated array"), NULL;
        if (*p->s == ',')
            p->s++;
        else if (*p->s != ']')
            return json_object_put(a), failat(p, "expected ',' or ']'"), NULL;
    }
}

static int set_key(p_t *p, json_object *table, char **parts, json_object *v);

static json_object *inline_table(p_t *p)
{
    p->s++;
    json_object *t = json_object_new_object();
    skip_ws(p);
    if (!eof(p) && *p->s == '}') return p->s++, t;
    for (;;) {
        rl_autostrv char **k = dotted_key(p);
        if (!k) return json_object_put(t), NULL;
        skip_ws(p);
        if (eof(p) || *p->s != '=') return json_object_put(t), failat(p, "expected '='"), NULL;
        p->s++;
        skip_ws(p);
        json_object *v = value(p);
        if (!v || set_key(p, t, k, v) < 0) return json_object_put(t), NULL;
        skip_ws(p);
        if (!eof(p) && *p->s == ',') {
            p->s++;
            continue;
        }
        if (!eof(p) && *p->s == '}') return p->s++, t;
        return json_object_put(t), failat(p, "expected ',' or '}'"), NULL;
    }
}

static json_object *scalar(p_t *p)
{
    const char *v = p->s;
    while (!eof(p) && (isalnum((unsigned char)*p->s) || *p->s == '_' || *p->s == '+' ||
                       *p->s == '-' || *p->s == '.'))
        p->s++;
    size_t n = (size_t)(p->s - v);
    if (n == 4 && !strncmp(v, "true", 4)) return json_object_new_boolean(1);
    if (n == 5 && !strncmp(v, "false", 5)) return json_object_new_boolean(0);
    rl_autofree char *num = xstrndup(v, n);
    char *end;
    errno = 0;
    long long x = strtoll(num, &end, 10);
    if (n > 0 && !*end && !errno) return json_object_new_int64(x);
    p->s = v;
    return failat(p, "expected a value (string, integer, boolean, array or table)"), NULL;
}

static json_object *value(p_t *p)
{
    if (++p->depth > MAX_DEPTH) return failat(p, "nested too deeply"), NULL;
    json_object *v = NULL;
    if (eof(p))
        failat(p, "expected a value");
    else if (*p->s == '"' || *p->s == '\'') {
        char *s = string(p);
        if (s) v = json_object_new_string(s), free(s);
    } else if (*p->s == '[')
        v = array(p);
    else if (*p->s == '{')
        v = inline_table(p);
    else
        v = scalar(p);
    p->depth--;
    return v;
}

/* Walk to the table that holds the last part, creating tables; an array of
 * tables on the way means its last element. */
static json_object *descend(p_t *p, json_object *t, char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_object *next = NULL;
        if (!json_object_object_get_ex(t, parts[i], &next)) {
            next = json_object_new_object();
            json_object_object_add(t, parts[i], next);
        }
        if (json_object_is_type(next, json_type_array)) {
            size_t len = json_object_array_length(next);
            next = len ? json_object_array_get_idx(next, len - 1) : NULL;
        }
        if (!next || !json_object_is_type(next, json_type_object))
            return failat(p, "key is not a table"), NULL;
        t = next;
    }
    return t;
}

static int set_key(p_t *p, json_object *table, char **parts, json_object *v)
{
    size_t n = rl_strv_len(parts);
    json_object *t = descend(p, table, parts, n - 1);
    if (!t) return json_object_put(v), -1;
    if (json_object_object_get_ex(t, parts[n - 1], NULL))
        return json_object_put(v), failat(p, "duplicate key");
    json_object_object_add(t, parts[n - 1], v);
    return 0;
}

static json_object *header(p_t *p, json_object *root)
{
    bool arr = p->end - p->s >= 2 && p->s[1] == '[';
    p->s += arr ? 2 : 1;
    rl_autostrv char **parts = dotted_key(p);
    if (!parts) return NULL;
    skip_ws(p);
    if (p->end - p->s < (arr ? 2 : 1) || p->s[0] != ']' || (arr && p->s[1] != ']'))
        return failat(p, arr ? "expected ']]'" : "expected ']'"), NULL;
    p->s += arr ? 2 : 1;
    size_t n = rl_strv_len(parts);
    json_object *parent = descend(p, root, parts, n - 1), *cur = NULL;
    if (!parent) return NULL;
    bool exists = json_object_object_get_ex(parent, parts[n - 1], &cur);
    if (arr) {
        if (!exists) {
            cur = json_object_new_array();
            json_object_object_add(parent, parts[n - 1], cur);
        } else if (!json_object_is_type(cur, json_type_array)) {
            return failat(p, "key is not an array of tables"), NULL;
        }
        json_object *t = json_object_new_object();
        json_object_array_add(cur, t);
        return t;
    }
    if (exists)
        return json_object_is_type(cur, json_type_object) ? cur
                                                          : (failat(p, "key is not a table"), NULL);
    cur = json_object_new_object();
    json_object_object_add(parent, parts[n - 1], cur);
    return cur;
}

json_object *rl_toml_parse(const char *text, size_t len, const char *name, rl_error_t *err)
{
    p_t p = {.start = text, .s = text, .end = text + len, .name = name, .err = err};
    json_object *root = json_object_new_object(), *cur = root;
    while (!eof(&p)) {
        skip_all(&p);
        if (eof(&p)) break;
        if (*p.s == '[') {
            cur = header(&p, root);
        } else {
            rl_autostrv char **k = dotted_key(&p);
            json_object *v = NULL;
            if (k) {
                skip_ws(&p);
                if (eof(&p) || *p.s != '=')
                    failat(&p, "expected '='");
                else
                    p.s++, skip_ws(&p), v = value(&p);
            }
            if (!v || set_key(&p, cur, k, v) < 0) cur = NULL;
        }
        if (!cur || end_of_line(&p) < 0) {
            json_object_put(root);
            return NULL;
        }
    }
    return root;
}
