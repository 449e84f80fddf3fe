/* SPDX-License-Identifier: Apache-2.0 */
/* JSON → YAML (see yaml.h). */
#include "yaml.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* A string YAML would take for another type, or that has special
 * characters: quoted, in JSON's escaping (valid YAML). */
static bool needs_quotes(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "null", "~", "on", "off"};
    if (!*s || isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1]))
        return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcasecmp(s, words[i])) return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0])) return true;
    if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\n')) return true;
    bool numeric = true;
    for (const char *p = s; *p; p++)
        numeric &= isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e';
    return numeric;
}

static void scalar(json_object *v, rl_strbuf_t *out)
{
    if (!v) {
        rl_strbuf_append(out, "null");
    } else if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        if (needs_quotes(s))
            rl_strbuf_append(out, json_object_to_json_string_ext(
                                      v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        else
            rl_strbuf_append(out, s);
    } else {
        rl_strbuf_append(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    }
}

static bool empty_container(json_object *v)
{
    return (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0) ||
           (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0);
}

static bool is_container(json_object *v)
{
    return v &&
           (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array));
}

static void indent(rl_strbuf_t *out, int n)
{
    for (int i = 0; i < n; i++)
        rl_strbuf_putc(out, ' ');
}

static void node(json_object *v, int depth, bool first_inline, rl_strbuf_t *out);

/* map entries at depth; the first one may follow a "- " already written */
static void map(json_object *v, int depth, bool first_inline, rl_strbuf_t *out)
{
    bool first = true;
    json_object_object_foreach(v, key, val)
    {
        if (!(first && first_inline)) indent(out, depth * 2);
        first = false;
        rl_strbuf_appendf(out, "%s:", key);
        if (is_container(val) && !empty_container(val)) {
            rl_strbuf_putc(out, '\n');
            /* a list under a key sits at the key's indent, as podman's */
            node(val, json_object_is_type(val, json_type_array) ? depth : depth + 1, false, out);
        } else {
            rl_strbuf_putc(out, ' ');
            if (is_container(val))
                rl_strbuf_append(out, json_object_is_type(val, json_type_array) ? "[]" : "{}");
            else
                scalar(val, out);
            rl_strbuf_putc(out, '\n');
        }
    }
}

static void node(json_object *v, int depth, bool first_inline, rl_strbuf_t *out)
{
    if (json_object_is_type(v, json_type_object)) {
        map(v, depth, first_inline, out);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *e = json_object_array_get_idx(v, i);
        indent(out, depth * 2);
        rl_strbuf_append(out, "- ");
        if (is_container(e) && !empty_container(e)) {
            node(e, depth + 1, true, out);
        } else {
            scalar(e, out);
            rl_strbuf_putc(out, '\n');
        }
    }
}

void rl_yaml_write(json_object *v, rl_strbuf_t *out)
{
    if (is_container(v) && !empty_container(v))
        node(v, 0, false, out);
    else
        scalar(v, out), rl_strbuf_putc(out, '\n');
}
