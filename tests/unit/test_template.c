/* SPDX-License-Identifier: Apache-2.0 */
/* pkg/util/template.c: the Go templates of --format, against what podman's
 * users write, and hostile templates. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/template.h"
#include "unit.h"

static const char *const DOC =
    "{\"Id\":\"abc123\",\"Names\":[\"web\",\"db\"],\"Config\":{\"Env\":[\"A=b\"],\"N\":3,"
    "\"Labels\":{\"z\":\"last\",\"a\":\"first\"}},\"Nil\":null,\"Empty\":[],\"Up\":true,"
    "\"Name\":\"hello world\",\"Size\":2048}";

/* render t against DOC; the output, or NULL with *msg the error */
static char *render(const char *t, char **msg)
{
    rl_autojson json_object *o = json_tokener_parse(DOC);
    rl_strbuf_t sb = RL_STRBUF_INIT;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_template_render(t, o, &sb, &err) < 0) {
        rl_strbuf_free(&sb);
        *msg = err.msg;
        return NULL;
    }
    return rl_strbuf_steal(&sb);
}

static void ok(const char *t, const char *want)
{
    char *msg = NULL;
    rl_autofree char *got = render(t, &msg);
    if (!got) fail_msg("'%s': %s", t, msg);
    if (strcmp(got, want)) fail_msg("'%s' gave '%s', not '%s'", t, got, want);
}

static void bad(const char *t, const char *want)
{
    char *msg = NULL;
    rl_autofree char *got = render(t, &msg);
    if (got) fail_msg("'%s' rendered '%s'", t, got);
    if (!strstr(msg, want)) fail_msg("'%s': '%s' lacks '%s'", t, msg, want);
    free(msg);
}

static void fields_and_values(void **state)
{
    (void)state;
    ok("{{.Id}}\\t{{ .Config.N }} {{json .Config.Env}} {{.Nil}}", "abc123\t3 [\"A=b\"] <no value>");
    ok("{{.Config.Labels.a}}/{{$.Id}}", "first/abc123");
    ok("{{.Up}} {{.Empty}} {{.Size}}", "true [] 2048");
    ok("{{.Id | json}} {{json .}}",
       "\"abc123\" " /* the whole object, compact */
       "{\"Id\":\"abc123\",\"Names\":[\"web\",\"db\"],\"Config\":{\"Env\":[\"A=b\"],\"N\":3,"
       "\"Labels\":{\"z\":\"last\",\"a\":\"first\"}},\"Nil\":null,\"Empty\":[],\"Up\":true,"
       "\"Name\":\"hello world\",\"Size\":2048}");
    ok("no actions\\n", "no actions\n");
    ok("{{/* a comment */}}x", "x");
    ok("a  {{- .Id -}}  b", "aabc123b");
    ok("{{\"quoted \\\"x\\\"\"}} {{`raw`}} {{42}} {{-1}}", "quoted \"x\" raw 42 -1");
}

static void functions(void **state)
{
    (void)state;
    ok("{{upper .Id}} {{lower \"AbC\"}} {{title .Name}}", "ABC123 abc Hello World");
    ok("{{join .Names \",\"}} {{.Names | len}} {{len .Name}} {{len .Config.Labels}}",
       "web,db 2 11 2");
    ok("{{truncate .Id 3}} {{truncate .Id 99}}", "abc abc123");
    ok("{{split \"a:b:c\" \":\"}} {{index .Names 1}} {{index .Config.Labels \"z\"}}",
       "[\"a\",\"b\",\"c\"] db last");
    ok("{{printf \"%s=%d %q %5s|%-3s|%%\" .Id .Size .Name \"ab\" \"c\"}}",
       "abc123=2048 \"hello world\"    ab|c  |%");
    ok("{{print .Id .Size}}{{println \"x\" 1}}", "abc1232048x 1\n");
    ok("{{eq .Id \"abc123\"}} {{eq .Size 2048}} {{eq .Id \"no\" \"abc123\"}} {{ne .Id \"x\"}}",
       "true true true true");
    ok("{{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}}", "true true true false");
    ok("{{not .Up}} {{and .Up .Id}} {{or .Nil .Empty \"d\"}} {{and .Empty .Id}}",
       "false abc123 d []");
    ok("{{if eq (len .Names) 2}}two{{end}} {{(index .Names 0) | upper}}", "two WEB");
}

static void blocks(void **state)
{
    (void)state;
    ok("{{range .Names}}[{{.}}]{{end}}", "[web][db]");
    ok("{{range .Empty}}x{{else}}none{{end}}", "none");
    ok("{{range .Config.Labels}}{{.}} {{end}}", "first last "); /* by key */
    ok("{{if .Nil}}a{{else if .Up}}b{{else}}c{{end}}", "b");
    ok("{{if .Empty}}a{{else}}c{{end}}{{if .Up}}!{{end}}", "c!");
    ok("{{with .Config}}{{.N}}{{end}}{{with .Nil}}x{{else}}-{{end}}", "3-");
    ok("{{range .Names}}{{if eq . \"db\"}}{{$.Id}}{{end}}{{end}}", "abc123");
    ok("{{- range .Names }}\n{{ . }}\n{{- end }}", "\nweb\ndb");
}

static void errors(void **state)
{
    (void)state;
    bad("{{.Nope}}", "--format '{{.Nope}}': no field '.Nope'");
    bad("{{.Config.Nope.X}}", "no field '.Config.Nope.X'");
    bad("{{.Id", "unclosed '{{'");
    bad("{{range .Names}}", "a block without {{end}}");
    bad("{{end}}", "{{end}} without a block");
    bad("x{{else}}", "{{else}} without a block");
    bad("{{nosuch .Id}}", "no function nosuch");
    bad("{{.Id .Size}}", "only a function takes arguments");
    bad("{{len}}", "wrong number of arguments to len");
    bad("{{(len .Id}}", "unclosed '('");
    bad("{{\"abc}}", "unclosed quote");
    bad("{{}}", "missing value");
    bad("{{.Id | }}", "missing value");
    bad("{{| .Id}}", "empty command");
    bad("{{range .Id}}x{{end}}", "range over a value that is no list");
    bad("{{printf \"%x\" 1}}", "unsupported verb");
    bad("{{printf \"%22222222225d\" 1}}", "width over 9999"); /* no 2 GB string */
    bad("{{index .Names 5}}", "index out of range");
    bad("{{$x}}", "bad variable");
    bad("{{@}}", "unexpected @");
    bad("{{len .Up}}", "len of a value that has none");
    /* nesting deeper than the parser goes is refused, not a stack overflow */
    rl_strbuf_t deep = RL_STRBUF_INIT;
    for (int i = 0; i < 40; i++)
        rl_strbuf_append(&deep, "{{if .Up}}");
    for (int i = 0; i < 40; i++)
        rl_strbuf_append(&deep, "{{end}}");
    bad(rl_strbuf_str(&deep), "nested too deep");
    rl_strbuf_free(&deep);
    rl_strbuf_t parens = RL_STRBUF_INIT;
    rl_strbuf_append(&parens, "{{");
    for (int i = 0; i < 40; i++)
        rl_strbuf_append(&parens, "(not ");
    rl_strbuf_append(&parens, ".Up");
    for (int i = 0; i < 40; i++)
        rl_strbuf_putc(&parens, ')');
    rl_strbuf_append(&parens, "}}");
    bad(rl_strbuf_str(&parens), "nested too deep");
    rl_strbuf_free(&parens);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_and_values),
        cmocka_unit_test(functions),
        cmocka_unit_test(blocks),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
