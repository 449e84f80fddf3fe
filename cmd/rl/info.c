/* SPDX-License-Identifier: Apache-2.0 */
/* `rl info` → pkg/engine/info.c: podman's structure, as YAML, JSON or a
 * template; `rl version`: podman's Client block. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pkg/engine/info.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/platform.h"
#include "pkg/util/template.h"
#include "pkg/util/yaml.h"

#ifndef RL_VERSION
#define RL_VERSION "dev"
#endif

typedef struct format_opts {
    const char *format; /* json, a template, or NULL (YAML / the table) */
} format_opts_t;

static const rl_cli_opt_t format_opts[] = {
    RL_STR("format", 'f', "json|TEMPLATE", format_opts_t, format,
           "print as JSON or with a Go template"),
    RL_IGNORED("debug", 'D', NULL, "more detail (rl shows it all)"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_info = {"info", "show the host, the store, the registries and versions",
                                  "", format_opts, false};
const rl_cli_cmd_t rl_cli_version = {"version", "print the version", "", format_opts, false};

/* json_obj as JSON, tmpl_obj through the template, or json_obj as YAML */
static int show(const char *format, json_object *json_obj, json_object *tmpl_obj)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    rl_error_t err = RL_ERROR_INIT;
    int r = 0;
    if (format && !strcmp(format, "json"))
        rl_strbuf_appendf(&sb, "%s\n",
                          json_object_to_json_string_ext(
                              json_obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                            JSON_C_TO_STRING_NOSLASHESCAPE));
    else if (format && (r = rl_template_render(format, tmpl_obj, &sb, &err)) == 0)
        rl_strbuf_putc(&sb, '\n');
    else if (!format)
        rl_yaml_write(json_obj, &sb);
    if (r == 0) fputs(rl_strbuf_str(&sb), stdout);
    rl_strbuf_free(&sb);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

int rl_cmd_info(int argc, char **argv)
{
    format_opts_t o = {0};
    int first = rl_cli_parse(&rl_cli_info, argc, argv, &o);
    if (first < 0) return RL_EXIT_FAILURE;
    if (first < argc) return rl_cli_usage("info", "takes no arguments");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_autojson json_object *js = NULL, *go = NULL;
    if (rl_engine_info(s, rl_global.storage_driver, &js, &go, &err) < 0) return rl_cli_fail(&err);
    return show(o.format, js, go);
}

int rl_cli_print_version(void)
{
    printf("rl version %s\nspec: 1.0.2\n", RL_VERSION);
    return 0;
}

/* podman's Client block (there is no server: rl is the whole engine) */
static json_object *client(void)
{
    json_object *c = json_object_new_object();
    rl_autofree char *osarch = xasprintf("linux/%s", rl_go_arch());
    json_object_object_add(c, "APIVersion", json_object_new_string(RL_VERSION));
    json_object_object_add(c, "Version", json_object_new_string(RL_VERSION));
    json_object_object_add(c, "GoVersion", json_object_new_string(""));
    json_object_object_add(c, "GitCommit", json_object_new_string(""));
    json_object_object_add(c, "BuiltTime", json_object_new_string(""));
    json_object_object_add(c, "Built", json_object_new_int64(0));
    json_object_object_add(c, "OsArch", json_object_new_string(osarch));
    json_object_object_add(c, "Os", json_object_new_string("linux"));
    return c;
}

int rl_cmd_version(int argc, char **argv)
{
    format_opts_t o = {0};
    if (argc > 0 && rl_cli_parse(&rl_cli_version, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    if (!o.format) {
        printf("Client:       rl\nVersion:      %s\nAPI Version:  %s\nOS/Arch:      linux/%s\n",
               RL_VERSION, RL_VERSION, rl_go_arch());
        return 0;
    }
    rl_autojson json_object *v = json_object_new_object();
    json_object_object_add(v, "Client", client());
    return show(o.format, v, v);
}
