/* SPDX-License-Identifier: Apache-2.0 */
/* `rl inspect` / `rl image inspect`: podman's JSON, or --format templates. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/inspect.h"
#include "pkg/engine/image_inspect.h"
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

typedef enum { T_ANY, T_IMAGE, T_CONTAINER } kind_t;

/* A container (by name, id or prefix) first, as podman, then an image. */
static json_object *one(rl_store_t *s, rl_store_image_db_t *db, const char *ref, kind_t t,
                        rl_error_t *err)
{
    char id[65];
    if (t != T_IMAGE) {
        if (rl_engine_ctr_find(s, ref, id, err) == 0) return rl_engine_ctr_inspect_json(s, id, err);
        if (t == T_CONTAINER || !rl_error_is(err, RL_ERR_NOT_FOUND)) return NULL;
        rl_error_clear(err);
    }
    int idx = rl_store_image_db_find(db, ref, err);
    if (idx >= 0) return rl_engine_image_inspect_json(s, &db->v[idx], err);
    if (t == T_ANY) {
        rl_error_clear(err);
        rl_error_set(err, 0, "no container or image named '%s' (see rl ps -a, rl images)", ref);
    }
    return NULL;
}

typedef struct inspect_opts {
    const char *verb;
    const char *format;
    kind_t t;
} inspect_opts_t;

static int set_type(void *ctx, const char *v)
{
    inspect_opts_t *o = ctx;
    if (!strcmp(v, "image")) return o->t = T_IMAGE, 0;
    if (!strcmp(v, "container")) return o->t = T_CONTAINER, 0;
    if (!strcmp(v, "all")) return o->t = T_ANY, 0;
    rl_cli_usage(o->verb, "--type '%s': use container, image or all", v);
    return -1;
}

static const rl_cli_opt_t inspect_opts[] = {
    RL_STR("format", 'f', "TEMPLATE", inspect_opts_t, format, "print with a Go template"),
    RL_FN("type", 't', "container|image|all", set_type, "what to look for"),
    RL_OPT_END,
};
/* image inspect and container inspect: no --type */
static const rl_cli_opt_t typed_opts[] = {
    RL_STR("format", 'f', "TEMPLATE", inspect_opts_t, format, "print with a Go template"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_inspect = {"inspect", "show details of containers and images", "NAME...",
                                     inspect_opts, true};
static const rl_cli_cmd_t rl_cli_image_inspect = {"image inspect", "show details of images",
                                                  "IMAGE...", typed_opts, true};
static const rl_cli_cmd_t rl_cli_container_inspect = {
    "container inspect", "show details of containers", "CONTAINER...", typed_opts, true};

static int inspect(int argc, char **argv, const rl_cli_cmd_t *c, kind_t t)
{
    const char *cmd = c->verb;
    inspect_opts_t o = {.verb = cmd, .t = t};
    if (rl_cli_parse(c, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    const char *format = o.format;
    t = o.t;
    if (optind >= argc) return rl_cli_usage(cmd, "give at least one container or image");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_store_image_db_t db;
    if (rl_store_lock(s, LOCK_SH, &err) < 0 || rl_store_image_db_load(s, &db, &err) < 0)
        return rl_cli_fail(&err);
    rl_autojson json_object *arr = json_object_new_array();
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        json_object *o = one(s, &db, argv[i], t, &err);
        if (!o) {
            rc = rl_cli_fail(&err);
            continue;
        }
        json_object_array_add(arr, o);
    }
    rl_store_image_db_free(&db);
    rl_store_unlock(s);
    if (json_object_array_length(arr) > 0 || rc == 0) {
        int pr = print_all(arr, format);
        if (pr) return pr;
    }
    return rc;
}

int rl_cmd_inspect(int argc, char **argv)
{
    return inspect(argc, argv, &rl_cli_inspect, T_ANY);
}

int rl_cmd_image_inspect(int argc, char **argv)
{
    return inspect(argc, argv, &rl_cli_image_inspect, T_IMAGE);
}

int rl_cmd_container_inspect(int argc, char **argv)
{
    return inspect(argc, argv, &rl_cli_container_inspect, T_CONTAINER);
}
