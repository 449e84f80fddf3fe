/* SPDX-License-Identifier: Apache-2.0 */
/* The Go templates podman's --format takes, over JSON: {{.Field.Sub}} ($
 * for the whole value), pipelines ({{.X | json}}), parenthesised
 * arguments, string and number literals, {{if}}/{{else if}}/{{else}},
 * {{range}} (arrays, and objects in key order) with {{else}}, {{with}},
 * {{end}}, comments, "{{-" and "-}}" trimming, and the functions podman's
 * users reach for: json, upper, lower, title, join, truncate, len, split,
 * index, printf, print, println, eq, ne, lt, le, gt, ge, not, and, or.
 * Output: strings raw, other values as compact JSON, a null as "<no
 * value>"; "\n" and "\t" in the template are newline and tab. Anything
 * else is an error naming the template and what is wrong. */
#ifndef RL_UTIL_TEMPLATE_H
#define RL_UTIL_TEMPLATE_H

#include <json-c/json.h>

#include "error.h"
#include "strbuf.h"

int rl_template_render(const char *tmpl, json_object *obj, rl_strbuf_t *out, rl_error_t *err);

#endif
