/* SPDX-License-Identifier: Apache-2.0 */
/* `rl images` / `rl image ls`: the table podman prints, -q, --digests,
 * --format json. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "cli.h"
#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/template.h"
#include "storage/images.h"

typedef struct images_opts {
    bool quiet, digests, json, all, no_trunc, noheading;
    const char *format; /* a Go template, one line per repository:tag */
} images_opts_t;

/* "docker.io/library/busybox:latest" → repo, tag */
static void split_name(const char *name, char **repo, char **tag)
{
    const char *slash = strrchr(name, '/');
    const char *colon = strrchr(slash ? slash : name, ':');
    *repo = colon ? xstrndup(name, (size_t)(colon - name)) : xstrdup(name);
    *tag = xstrdup(colon ? colon + 1 : "<none>");
}

static char *repo_digest(const char *name, const char *digest)
{
    rl_autofree char *repo = NULL, *tag = NULL;
    split_name(name, &repo, &tag);
    return xasprintf("%s@%s", repo, digest);
}

static json_object *image_json(const rl_store_image_t *img)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Id", json_object_new_string(img->id));
    json_object_object_add(o, "ParentId", json_object_new_string(""));
    json_object_object_add(o, "RepoTags", rl_json_new_strv((const char *const *)img->names));
    json_object *rd = json_object_new_array();
    for (size_t i = 0; img->names[i]; i++)
        for (size_t k = 0; img->digests[k]; k++) {
            rl_autofree char *d = repo_digest(img->names[i], img->digests[k]);
            json_object_array_add(rd, json_object_new_string(d));
        }
    json_object_object_add(o, "RepoDigests", rd);
    json_object_object_add(o, "Size", json_object_new_int64((int64_t)img->size));
    json_object_object_add(o, "SharedSize", json_object_new_int64(0));
    json_object_object_add(o, "VirtualSize", json_object_new_int64((int64_t)img->size));
    json_object_object_add(o, "Names", rl_json_new_strv((const char *const *)img->names));
    json_object_object_add(o, "Digest",
                           json_object_new_string(img->digests[0] ? img->digests[0] : ""));
    json_object_object_add(o, "Digests", rl_json_new_strv((const char *const *)img->digests));
    int64_t created = rl_cli_parse_time(img->created);
    json_object_object_add(o, "Created", json_object_new_int64(created));
    json_object_object_add(o, "CreatedAt",
                           json_object_new_string(img->created ? img->created : ""));
    json_object_object_add(o, "Dangling", json_object_new_boolean(img->names[0] == NULL));
    return o;
}

static void print_json(const rl_store_image_db_t *db)
{
    rl_autojson json_object *arr = json_object_new_array();
    for (size_t i = 0; i < db->n; i++)
        json_object_array_add(arr, image_json(&db->v[i]));
    printf("%s\n",
           json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void print_row(const rl_store_image_t *img, const char *name, const images_opts_t *o)
{
    rl_autofree char *repo = NULL, *tag = NULL;
    if (name) split_name(name, &repo, &tag);
    rl_autofree char *age =
        img->created ? rl_cli_human_age(rl_cli_parse_time(img->created)) : xstrdup("");
    rl_autofree char *size = rl_cli_human_size(img->size);
    printf("%-40s %-12s ", repo ? repo : "<none>", tag ? tag : "<none>");
    if (o->digests) printf("%-72s ", img->digests[0] ? img->digests[0] : "<none>");
    printf("%-13.*s %-24s %s\n", o->no_trunc ? 64 : 12, img->id, age, size);
}

/* One row of podman's image list as a template sees it: the image's JSON
 * fields, and the row's own (ID short unless --no-trunc, Repository, Tag,
 * human Size, CreatedSince). */
static json_object *row_json(const rl_store_image_t *img, const char *name, const images_opts_t *o)
{
    json_object *r = image_json(img);
    rl_autofree char *repo = NULL, *tag = NULL;
    if (name) split_name(name, &repo, &tag);
    rl_autofree char *id = xstrndup(img->id, o->no_trunc ? 64 : 12);
    rl_autofree char *size = rl_cli_human_size(img->size);
    rl_autofree char *age =
        img->created ? rl_cli_human_age(rl_cli_parse_time(img->created)) : xstrdup("");
    json_object_object_add(r, "ID", json_object_new_string(id));
    json_object_object_add(r, "Repository", json_object_new_string(repo ? repo : "<none>"));
    json_object_object_add(r, "Tag", json_object_new_string(tag ? tag : "<none>"));
    json_object_object_add(r, "Size", json_object_new_string(size));
    json_object_object_add(r, "CreatedSince", json_object_new_string(age));
    json_object_object_add(r, "ReadOnly", json_object_new_boolean(false));
    return r;
}

static int print_template(const rl_store_image_db_t *db, const images_opts_t *o)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    rl_error_t err = RL_ERROR_INIT;
    int r = 0;
    for (size_t i = 0; r == 0 && i < db->n; i++) {
        const rl_store_image_t *img = &db->v[i];
        for (size_t k = 0; r == 0 && (k == 0 || img->names[k]); k++) {
            rl_autojson json_object *row = row_json(img, img->names[k], o);
            if ((r = rl_template_render(o->format, row, &sb, &err)) == 0) rl_strbuf_putc(&sb, '\n');
            if (!img->names[k]) break;
        }
    }
    if (r == 0) fputs(rl_strbuf_str(&sb), stdout);
    rl_strbuf_free(&sb);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

static void print_table(const rl_store_image_db_t *db, const images_opts_t *o)
{
    if (o->quiet) {
        for (size_t i = 0; i < db->n; i++)
            printf("%.*s\n", o->no_trunc ? 64 : 12, db->v[i].id);
        return;
    }
    if (!o->noheading) {
        printf("%-40s %-12s ", "REPOSITORY", "TAG");
        if (o->digests) printf("%-72s ", "DIGEST");
        printf("%-13s %-24s %s\n", "IMAGE ID", "CREATED", "SIZE");
    }
    for (size_t i = 0; i < db->n; i++) {
        const rl_store_image_t *img = &db->v[i];
        if (!img->names[0]) print_row(img, NULL, o);
        for (size_t k = 0; img->names[k]; k++)
            print_row(img, img->names[k], o);
    }
}

static int parse_format(const char *f, images_opts_t *o)
{
    if (!strcmp(f, "json")) return o->json = true, 0;
    if (strstr(f, "{{")) return o->format = f, 0;
    return rl_cli_usage("--format", "'%s': use json or a template such as '{{.ID}}'", f);
}

static int set_format(void *ctx, const char *v)
{
    return parse_format(v, ctx) ? -1 : 0;
}

static const rl_cli_opt_t images_opts[] = {
    RL_FLAG("quiet", 'q', images_opts_t, quiet, "ids only"),
    RL_FLAG("all", 'a', images_opts_t, all, "intermediate images too (rl stores none)"),
    RL_FLAG("digests", 0, images_opts_t, digests, "with their digests"),
    RL_FLAG("no-trunc", 0, images_opts_t, no_trunc, "whole ids"),
    RL_FLAG("noheading", 'n', images_opts_t, noheading, "no heading line"),
    RL_FN("format", 0, "json|TEMPLATE", set_format, "print as JSON or with a Go template"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_images = {"images", "list images in the store", "[REPOSITORY[:TAG]]",
                                    images_opts, false};

int rl_cmd_images(int argc, char **argv)
{
    images_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_images, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_store_image_db_t db;
    if (rl_store_image_db_read(s, &db, &err) < 0) return rl_cli_fail(&err);
    int rc = 0;
    if (o.json)
        print_json(&db);
    else if (o.format)
        rc = print_template(&db, &o);
    else
        print_table(&db, &o);
    rl_store_image_db_free(&db);
    return rc;
}
