/* SPDX-License-Identifier: Apache-2.0 */
/* The functions templates may call (template_int.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "json.h"
#include "template_int.h"
#include "xalloc.h"

static json_object *str(const char *s)
{
    return json_object_new_string(s);
}

/* --- the functions --- */

static int want(eval_t *e, size_t n, size_t min, size_t max, const char *name)
{
    if (n >= min && n <= max) return 0;
    return rl_tmpl_fail(e, "wrong number of arguments to ", name);
}

static const char *sval(json_object *v)
{
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v)
                                                         : rl_tmpl_text(v);
}

static int f_json(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 1, 1, "json") < 0) return -1;
    return *out = str(a[0] ? json_object_to_json_string_ext(
                                 a[0], JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                           : "null"),
           0;
}

static int change_case(eval_t *e, json_object **a, size_t n, json_object **out, int how)
{
    if (want(e, n, 1, 1, how == 0 ? "upper" : how == 1 ? "lower" : "title") < 0) return -1;
    rl_autofree char *s = xstrdup(sval(a[0]));
    bool start = true;
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        *p = (char)(how == 0 ? toupper(c) : how == 1 ? tolower(c) : start ? toupper(c) : c);
        start = isspace(c);
    }
    return *out = str(s), 0;
}

static int f_upper(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return change_case(e, a, n, out, 0);
}

static int f_lower(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return change_case(e, a, n, out, 1);
}

static int f_title(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return change_case(e, a, n, out, 2);
}

static int f_join(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 2, 2, "join") < 0) return -1;
    if (!a[0] || !json_object_is_type(a[0], json_type_array))
        return rl_tmpl_fail(e, "join wants a list, not ", rl_tmpl_text(a[0]));
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; i < json_object_array_length(a[0]); i++)
        rl_strbuf_appendf(&sb, "%s%s", i ? sval(a[1]) : "",
                          sval(json_object_array_get_idx(a[0], i)));
    *out = str(rl_strbuf_str(&sb));
    rl_strbuf_free(&sb);
    return 0;
}

static int f_truncate(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 2, 2, "truncate") < 0) return -1;
    int64_t k = a[1] ? json_object_get_int64(a[1]) : 0;
    rl_autofree char *s = xstrdup(sval(a[0]));
    if (k >= 0 && (size_t)k < strlen(s)) s[k] = '\0';
    return *out = str(s), 0;
}

static int f_len(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 1, 1, "len") < 0) return -1;
    int64_t len = !a[0] ? 0
                  : json_object_is_type(a[0], json_type_array)
                      ? (int64_t)json_object_array_length(a[0])
                  : json_object_is_type(a[0], json_type_object) ? json_object_object_length(a[0])
                  : json_object_is_type(a[0], json_type_string) ? json_object_get_string_len(a[0])
                                                                : -1;
    if (len < 0) return rl_tmpl_fail(e, "len of a value that has none: ", rl_tmpl_text(a[0]));
    return *out = json_object_new_int64(len), 0;
}

static int f_split(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 2, 2, "split") < 0) return -1;
    const char *s = sval(a[0]), *sep = sval(a[1]);
    json_object *arr = json_object_new_array();
    size_t sl = strlen(sep);
    for (const char *p = s;;) {
        const char *q = sl ? strstr(p, sep) : NULL;
        rl_autofree char *part = q ? xstrndup(p, (size_t)(q - p)) : xstrdup(p);
        json_object_array_add(arr, str(part));
        if (!q) break;
        p = q + sl;
    }
    return *out = arr, 0;
}

static int f_index(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 1, 8, "index") < 0) return -1;
    json_object *cur = a[0];
    for (size_t i = 1; i < n; i++) {
        json_object *next = NULL;
        if (cur && json_object_is_type(cur, json_type_array) && a[i] &&
            json_object_is_type(a[i], json_type_int)) {
            int64_t k = json_object_get_int64(a[i]);
            if (k < 0 || (size_t)k >= json_object_array_length(cur))
                return rl_tmpl_fail(e, "index out of range: ", rl_tmpl_text(a[i]));
            next = json_object_array_get_idx(cur, (size_t)k);
        } else if (cur && json_object_is_type(cur, json_type_object)) {
            json_object_object_get_ex(cur, sval(a[i]), &next);
        } else {
            return rl_tmpl_fail(e, "cannot index ", rl_tmpl_text(cur));
        }
        cur = next;
    }
    return *out = json_object_get(cur), 0;
}

/* printf: %s %v %d %q %% with flags and width, as far as podman's users go */
static int f_printf(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 1, 32, "printf") < 0) return -1;
    const char *f = sval(a[0]);
    rl_strbuf_t sb = RL_STRBUF_INIT;
    size_t next = 1;
    for (const char *p = f; *p; p++) {
        if (*p != '%') {
            rl_strbuf_putc(&sb, *p);
            continue;
        }
        char spec[16] = "%";
        size_t k = 1;
        while (p[1] && strchr("-+ 0#", p[1]) && k < 6)
            spec[k++] = *++p;
        size_t digits = 0;
        while (isdigit((unsigned char)p[1]) && digits < 4) /* a width up to 9999 */
            spec[k++] = *++p, digits++;
        char verb = *++p;
        if (isdigit((unsigned char)verb)) {
            rl_strbuf_free(&sb);
            return rl_tmpl_fail(e, "printf: width over 9999 in ", f);
        }
        if (verb == '%') {
            rl_strbuf_putc(&sb, '%');
            continue;
        }
        if (!verb || !strchr("svdq", verb)) {
            rl_strbuf_free(&sb);
            return rl_tmpl_fail(e, "printf: unsupported verb in ", f);
        }
        json_object *v = next < n ? a[next++] : NULL;
        memcpy(spec + k, verb == 'd' ? "lld" : "s", verb == 'd' ? 4 : 2);
        if (verb == 'd') {
            rl_strbuf_appendf(&sb, spec, (long long)(v ? json_object_get_int64(v) : 0));
        } else if (verb == 'q') {
            rl_autojson json_object *q = str(sval(v));
            rl_strbuf_appendf(&sb, spec, json_object_to_json_string_ext(q, JSON_C_TO_STRING_PLAIN));
        } else {
            rl_strbuf_appendf(&sb, spec, sval(v));
        }
    }
    *out = str(rl_strbuf_str(&sb));
    rl_strbuf_free(&sb);
    return 0;
}

/* print: the operands' text run together; println: spaced, and a newline */
static json_object *concat(json_object **a, size_t n, const char *sep, const char *end)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        rl_strbuf_appendf(&sb, "%s%s", i ? sep : "", sval(a[i]));
    rl_strbuf_append(&sb, end);
    json_object *o = str(rl_strbuf_str(&sb));
    rl_strbuf_free(&sb);
    return o;
}

static int f_print(eval_t *e, json_object **a, size_t n, json_object **out)
{
    (void)e;
    return *out = concat(a, n, "", ""), 0;
}

static int f_println(eval_t *e, json_object **a, size_t n, json_object **out)
{
    (void)e;
    return *out = concat(a, n, " ", "\n"), 0;
}

/* <0, 0, >0 as a compares to b: numbers as numbers, the rest as text */
static int compare(json_object *a, json_object *b)
{
    bool na =
        a && (json_object_is_type(a, json_type_int) || json_object_is_type(a, json_type_double));
    bool nb =
        b && (json_object_is_type(b, json_type_int) || json_object_is_type(b, json_type_double));
    if (na && nb) {
        double x = json_object_get_double(a), y = json_object_get_double(b);
        return x < y ? -1 : x > y;
    }
    return strcmp(sval(a), sval(b));
}

static int f_eq(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 2, 32, "eq") < 0) return -1;
    bool any = false;
    for (size_t i = 1; i < n; i++)
        any |= compare(a[0], a[i]) == 0;
    return *out = json_object_new_boolean(any), 0;
}

static int cmp_fn(eval_t *e, json_object **a, size_t n, json_object **out, const char *name, int lo,
                  int hi)
{
    if (want(e, n, 2, 2, name) < 0) return -1;
    int c = compare(a[0], a[1]);
    c = c < 0 ? -1 : c > 0;
    return *out = json_object_new_boolean(c >= lo && c <= hi), 0;
}

static int f_ne(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 2, 2, "ne") < 0) return -1;
    return *out = json_object_new_boolean(compare(a[0], a[1]) != 0), 0;
}

static int f_lt(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return cmp_fn(e, a, n, out, "lt", -1, -1);
}

static int f_le(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return cmp_fn(e, a, n, out, "le", -1, 0);
}

static int f_gt(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return cmp_fn(e, a, n, out, "gt", 1, 1);
}

static int f_ge(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return cmp_fn(e, a, n, out, "ge", 0, 1);
}

static int f_not(eval_t *e, json_object **a, size_t n, json_object **out)
{
    if (want(e, n, 1, 1, "not") < 0) return -1;
    return *out = json_object_new_boolean(!rl_tmpl_truth(a[0])), 0;
}

/* and: the first false value, else the last; or: the first true, else the last */
static int and_or(eval_t *e, json_object **a, size_t n, json_object **out, bool is_and)
{
    if (want(e, n, 1, 32, is_and ? "and" : "or") < 0) return -1;
    size_t i = 0;
    while (i + 1 < n && rl_tmpl_truth(a[i]) == is_and)
        i++;
    return *out = json_object_get(a[i]), 0;
}

static int f_and(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return and_or(e, a, n, out, true);
}

static int f_or(eval_t *e, json_object **a, size_t n, json_object **out)
{
    return and_or(e, a, n, out, false);
}

rl_tmpl_fn_t rl_tmpl_fn(const char *name)
{
    static const struct {
        const char *name;
        rl_tmpl_fn_t fn;
    } fns[] = {{"json", f_json},     {"upper", f_upper}, {"lower", f_lower},
               {"title", f_title},   {"join", f_join},   {"truncate", f_truncate},
               {"len", f_len},       {"split", f_split}, {"index", f_index},
               {"printf", f_printf}, {"print", f_print}, {"println", f_println},
               {"eq", f_eq},         {"ne", f_ne},       {"lt", f_lt},
               {"le", f_le},         {"gt", f_gt},       {"ge", f_ge},
               {"not", f_not},       {"and", f_and},     {"or", f_or}};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (!strcmp(fns[i].name, name)) return fns[i].fn;
    return NULL;
}
