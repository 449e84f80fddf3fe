/* SPDX-License-Identifier: Apache-2.0 */
/* --format templates (see template.h). */
#include "template.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "cleanup.h"

static json_object *lookup(json_object *obj, const char *path, size_t n)
{
    json_object *cur = obj;
    size_t i = 0;
    if (n == 1 && path[0] == '.') return obj;
    while (i < n) {
        if (path[i] != '.') return NULL;
        size_t j = ++i;
        while (j < n && path[j] != '.')
            j++;
        rl_autofree char *key = xstrndup(path + i, j - i);
        json_object *next = NULL;
        if (!cur || !json_object_is_type(cur, json_type_object) ||
            !json_object_object_get_ex(cur, key, &next))
            return (json_object *)-1;
        cur = next;
        i = j;
    }
    return cur;
}

static void put_value(rl_strbuf_t *out, json_object *v, bool as_json)
{
    if (!as_json && v && json_object_is_type(v, json_type_string))
        rl_strbuf_append(out, json_object_get_string(v));
    else if (!as_json && !v)
        rl_strbuf_append(out, "<no value>");
    else
        rl_strbuf_append(out, json_object_to_json_string_ext(
                                  v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int action(const char *tmpl, const char *a, size_t n, json_object *obj, rl_strbuf_t *out,
                  rl_error_t *err)
{
    while (n && isspace((unsigned char)*a))
        a++, n--;
    while (n && isspace((unsigned char)a[n - 1]))
        n--;
    bool as_json = false;
    if (n > 5 && !strncmp(a, "json ", 5)) {
        as_json = true;
        a += 5, n -= 5;
        while (n && isspace((unsigned char)*a))
            a++, n--;
    }
    if (n == 0 || a[0] != '.')
        return rl_error_set(err, 0, "--format '%s': unsupported action '{{%.*s}}'", tmpl, (int)n,
                            a);
    json_object *v = lookup(obj, a, n);
    if (v == (json_object *)-1)
        return rl_error_set(err, 0, "--format '%s': no field '%.*s'", tmpl, (int)n, a);
    put_value(out, v, as_json);
    return 0;
}

int rl_template_render(const char *tmpl, json_object *obj, rl_strbuf_t *out, rl_error_t *err)
{
    for (const char *p = tmpl; *p;) {
        if (p[0] == '{' && p[1] == '{') {
            const char *end = strstr(p + 2, "}}");
            if (!end) return rl_error_set(err, 0, "--format '%s': unclosed '{{'", tmpl);
            if (action(tmpl, p + 2, (size_t)(end - p - 2), obj, out, err) < 0) return -1;
            p = end + 2;
        } else if (p[0] == '\\' && (p[1] == 'n' || p[1] == 't')) {
            rl_strbuf_putc(out, p[1] == 'n' ? '\n' : '\t');
            p += 2;
        } else {
            rl_strbuf_putc(out, *p++);
        }
    }
    return 0;
}
