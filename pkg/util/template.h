/* SPDX-License-Identifier: Apache-2.0 */
/* The Go-template subset users pass to --format: {{.Field.Sub}} prints a
 * value (strings raw, others as JSON), {{json .Field}} as JSON, "\n" and
 * "\t" escapes; anything else is an error naming the template. */
#ifndef RL_UTIL_TEMPLATE_H
#define RL_UTIL_TEMPLATE_H

#include <json-c/json.h>

#include "error.h"
#include "strbuf.h"

int rl_template_render(const char *tmpl, json_object *obj, rl_strbuf_t *out, rl_error_t *err);

#endif
