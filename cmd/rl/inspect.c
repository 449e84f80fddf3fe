/* `rl inspect` / `rl image inspect`: podman's JSON, or --format templates. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "cli.h"
#include "pkg/image/inspect.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "storage/images.h"
#include "pkg/util/template.h"

static int print_all(json_object *arr, const char *format)
{
    if (!format || !strcmp(format, "json")) {
        printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
                                                               JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        return 0;
    }
    rl_error_t err = RL_ERROR_INIT;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        rl_strbuf_t sb = {0};
        if (rl_template_render(format, json_object_array_get_idx(arr, i), &sb, &err) < 0) {
            rl_strbuf_free(&sb);
            return rl_cli_fail(&err);
        }
        printf("%s\n", rl_strbuf_str(&sb));
        rl_strbuf_free(&sb);
    }
    return 0;
}

static int inspect(int argc, char **argv, const char *cmd)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"type", required_argument, NULL, 't'}, {0}};
    const char *format = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+f:t:", opts, NULL)) != -1) {
        if (c == 'f')
            format = optarg;
        else if (c == 't') {
            if (strcmp(optarg, "image"))
                return rl_cli_usage("--type", "'%s': only images can be inspected so far", optarg);
        } else
            return rl_cli_usage(cmd, "invalid option");
    }
    if (optind >= argc) return rl_cli_usage(cmd, "give at least one image");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_image_db_t db;
    if (rl_store_lock(s, LOCK_SH, &err) < 0 || rl_image_db_load(s, &db, &err) < 0)
        return rl_cli_fail(&err);
    rl_autojson json_object *arr = json_object_new_array();
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        int idx = rl_image_db_find(&db, argv[i], &err);
        json_object *o = idx < 0 ? NULL : rl_image_inspect_json(s, &db.v[idx], &err);
        if (!o) {
            rc = rl_cli_fail(&err);
            continue;
        }
        json_object_array_add(arr, o);
    }
    rl_image_db_free(&db);
    rl_store_unlock(s);
    if (json_object_array_length(arr) > 0 || rc == 0) {
        int pr = print_all(arr, format);
        if (pr) return pr;
    }
    return rc;
}

int rl_cmd_inspect(int argc, char **argv)
{
    return inspect(argc, argv, "inspect");
}

int rl_cmd_image_inspect(int argc, char **argv)
{
    return inspect(argc, argv, "image inspect");
}
