/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: --format templates, any bytes, against a document with every
 * kind of JSON value: rendered or refused with an error, never a crash, a
 * leak or an unbounded recursion; the same template renders the same twice. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/template.h"

static const char *const DOC =
    "{\"Id\":\"abc\",\"L\":[\"x\",\"y\",[1,2]],\"O\":{\"k\":\"v\",\"n\":-3.5},\"Nil\":null,"
    "\"T\":true,\"I\":7,\"E\":{}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t = strndup((const char *)data, size);
    json_object *o = json_tokener_parse(DOC);
    rl_strbuf_t a = RL_STRBUF_INIT, b = RL_STRBUF_INIT;
    rl_error_t err = RL_ERROR_INIT;
    int r1 = rl_template_render(t, o, &a, &err);
    rl_error_clear(&err);
    int r2 = rl_template_render(t, o, &b, &err);
    rl_error_clear(&err);
    if (r1 != r2 || (r1 == 0 && strcmp(rl_strbuf_str(&a), rl_strbuf_str(&b)))) abort();
    rl_strbuf_free(&a), rl_strbuf_free(&b);
    json_object_put(o);
    free(t);
    return 0;
}
