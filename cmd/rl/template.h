/* The Go-template subset users pass to --format: {{.Field.Sub}} prints a
 * value (strings raw, others as JSON), {{json .Field}} as JSON, "\n" and
 * "\t" escapes; anything else is an error naming the template. */
#ifndef RL_CMD_TEMPLATE_H
#define RL_CMD_TEMPLATE_H

#include <json-c/json.h>

#include "pkg/util/error.h"
#include "pkg/util/strbuf.h"

int rl_template_render(const char *tmpl, json_object *obj, rl_strbuf_t *out, rl_error_t *err);

#endif
