/* SPDX-License-Identifier: Apache-2.0 */
/* `rl ps`: containers with their live state (pkg/engine/ctr.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <sys/file.h>

#include "pkg/engine/ctr.h"
#include "pkg/engine/prune.h"
#include "storage/images.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/template.h"

typedef struct row {
    rl_ctr_rec_t *rec;
    rl_ctr_state_t st;
    rl_ctr_status_t live;
    char *command;
    char *size_text;      /* ps -s */
    rl_net_ports_t ports; /* published */
    char *ports_text;
    char **labels; /* annotations of the spec, "key=value" */
} row_t;

typedef struct ps_opts {
    bool all, quiet, no_trunc, latest, size, noheading;
    int last;
    int (*sort)(const void *, const void *); /* --sort; NULL: created, newest first */
    const char *format;
    char **filters;
} ps_opts_t;

static void load_spec_bits(rl_store_t *s, row_t *r)
{
    rl_error_t e = RL_ERROR_INIT;
    rl_spec_stored_t spec;
    bool ok = rl_engine_ctr_spec(s, r->rec->id, &spec, &e) == 0;
    rl_error_clear(&e);
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; ok && spec.args && spec.args[i]; i++)
        rl_strbuf_appendf(&sb, "%s%s", i ? " " : "", spec.args[i]);
    r->command = rl_strbuf_steal(&sb);
    if (ok) r->labels = rl_steal_ptr(&spec.annotations);
    rl_spec_stored_clear(&spec);
}

static void row_clear(row_t *r)
{
    rl_ctr_state_clear(&r->st);
    free(r->command);
    free(r->size_text);
    free(r->ports_text);
    rl_net_ports_clear(&r->ports);
    rl_strv_free(r->labels);
    memset(r, 0, sizeof *r);
}

/* ps -s: the writable layer, and with the image's layers below it (db:
 * the images, loaded once for all rows) */
static char *size_text(rl_store_t *s, const rl_store_image_db_t *db, const rl_ctr_rec_t *rec)
{
    unsigned long long rw = rl_engine_ctr_size(s, rec->id, rec->driver), image = 0;
    for (size_t i = 0; db && i < db->n; i++)
        if (!strcmp(db->v[i].id, rec->image_id)) image = db->v[i].size;
    rl_autofree char *a = rl_cli_human_size(rw), *b = rl_cli_human_size(rw + image);
    return xasprintf("%s (virtual %s)", a, b);
}

static bool load_images(rl_store_t *s, rl_store_image_db_t *db)
{
    rl_error_t e = RL_ERROR_INIT;
    bool ok = rl_store_lock(s, LOCK_SH, &e) == 0 && rl_store_image_db_load(s, db, &e) == 0;
    rl_store_unlock(s);
    rl_error_clear(&e);
    return ok;
}

static char *status_text(const row_t *r)
{
    if (r->live == RL_CTR_CREATED) return xstrdup("Created");
    const char *since = r->live == RL_CTR_RUNNING ? r->st.started_at : r->st.finished_at;
    rl_autofree char *age = rl_cli_human_age(rl_cli_parse_time(since ? since : r->rec->created));
    if (r->live == RL_CTR_RUNNING) {
        char *ago = strstr(age, " ago");
        if (ago) *ago = '\0';
        return xasprintf("Up %s", age);
    }
    return xasprintf("Exited (%d) %s", r->st.exit_code, age);
}

static bool filter_one(const row_t *r, const char *f)
{
    const char *eq = strchr(f, '=');
    size_t kl = (size_t)(eq - f);
    const char *v = eq + 1;
    if (!strncmp(f, "status", kl) && kl == 6) {
        const char *name = rl_ctr_status_name(r->live);
        return !strcmp(v, name) || (!strcmp(v, "up") && r->live == RL_CTR_RUNNING);
    }
    if (!strncmp(f, "name", kl) && kl == 4) return strstr(r->rec->name, v) != NULL;
    if (!strncmp(f, "id", kl) && kl == 2) return !strncmp(r->rec->id, v, strlen(v));
    if (!strncmp(f, "ancestor", kl) && kl == 8)
        return (r->rec->image_name && strstr(r->rec->image_name, v)) ||
               !strncmp(r->rec->image_id, v, strlen(v));
    /* label=KEY or label=KEY=VALUE */
    const char *veq = strchr(v, '=');
    rl_autofree char *key = veq ? xstrndup(v, (size_t)(veq - v)) : xstrdup(v);
    rl_spec_stored_t labels = {.annotations = r->labels};
    const char *val = rl_spec_stored_annotation(&labels, key);
    return val && (!veq || !strcmp(val, veq + 1));
}

static int check_filter(const char *f)
{
    static const char *const keys[] = {"status=", "name=", "id=", "ancestor=", "label="};
    for (size_t i = 0; i < 5; i++)
        if (!strncmp(f, keys[i], strlen(keys[i]))) {
            if (i == 0) {
                const char *v = f + 7;
                if (strcmp(v, "created") && strcmp(v, "running") && strcmp(v, "exited") &&
                    strcmp(v, "up"))
                    return rl_cli_usage("ps",
                                        "--filter '%s': status is created, running or "
                                        "exited",
                                        f);
            }
            return 0;
        }
    return rl_cli_usage("ps", "--filter '%s': use status=, name=, id=, ancestor= or label=", f);
}

static bool keep(const ps_opts_t *o, const row_t *r)
{
    if (!o->all && !o->filters && r->live != RL_CTR_RUNNING) return false;
    for (size_t i = 0; o->filters && o->filters[i]; i++)
        if (!filter_one(r, o->filters[i])) return false;
    return true;
}

static int by_created_desc(const void *a, const void *b)
{
    const row_t *x = a, *y = b;
    return strcmp(y->rec->created, x->rec->created);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const row_t *)a)->rec->id, ((const row_t *)b)->rec->id);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const row_t *)a)->rec->name, ((const row_t *)b)->rec->name);
}

static int by_image(const void *a, const void *b)
{
    const row_t *x = a, *y = b;
    const char *ix = x->rec->image_name ? x->rec->image_name : x->rec->image_id;
    const char *iy = y->rec->image_name ? y->rec->image_name : y->rec->image_id;
    return strcmp(ix, iy);
}

static int by_command(const void *a, const void *b)
{
    return strcmp(((const row_t *)a)->command, ((const row_t *)b)->command);
}

static int by_status(const void *a, const void *b)
{
    return strcmp(rl_ctr_state_name(&((const row_t *)a)->st),
                  rl_ctr_state_name(&((const row_t *)b)->st));
}

/* podman's: one object per port */
static json_object *ports_json(const rl_net_ports_t *ps)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < ps->n; i++) {
        const rl_net_port_t *p = &ps->v[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "host_ip", json_object_new_string(p->host_ip));
        json_object_object_add(o, "container_port", json_object_new_int(p->ctr_port));
        json_object_object_add(o, "host_port", json_object_new_int(p->host_port));
        json_object_object_add(o, "range", json_object_new_int(1));
        json_object_object_add(o, "protocol", json_object_new_string(p->udp ? "udp" : "tcp"));
        json_object_array_add(a, o);
    }
    return a;
}

/* podman's fields; in a template .Names is the names joined, in json a list */
/* The "key=value" labels back as podman's object (null: none). */
static json_object *labels_json(char *const *labels)
{
    if (!labels) return NULL;
    json_object *o = json_object_new_object();
    for (size_t i = 0; labels[i]; i++) {
        const char *eq = strchr(labels[i], '=');
        rl_autofree char *key = xstrndup(labels[i], (size_t)(eq - labels[i]));
        json_object_object_add(o, key, json_object_new_string(eq + 1));
    }
    return o;
}

static json_object *row_json(const row_t *r, const char *status, bool tmpl)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Id", json_object_new_string(r->rec->id));
    json_object_object_add(o, "ID", json_object_new_string(r->rec->id));
    json_object *names = json_object_new_array();
    json_object_array_add(names, json_object_new_string(r->rec->name));
    if (tmpl) json_object_put(names), names = json_object_new_string(r->rec->name);
    json_object_object_add(o, "Names", names);
    json_object_object_add(o, "Image",
                           json_object_new_string(r->rec->image_name ? r->rec->image_name : ""));
    json_object_object_add(o, "ImageID", json_object_new_string(r->rec->image_id));
    json_object_object_add(o, "Command", json_object_new_string(r->command));
    json_object_object_add(o, "CreatedAt", json_object_new_string(r->rec->created));
    json_object_object_add(o, "State", json_object_new_string(rl_ctr_state_name(&r->st)));
    json_object_object_add(o, "Status", json_object_new_string(status));
    json_object_object_add(o, "Exited", json_object_new_boolean(r->live == RL_CTR_EXITED));
    json_object_object_add(o, "ExitCode",
                           json_object_new_int(r->st.exit_code < 0 ? 0 : r->st.exit_code));
    json_object_object_add(o, "Pid",
                           json_object_new_int(r->live == RL_CTR_RUNNING ? r->st.pid : 0));
    json_object_object_add(o, "Labels", labels_json(r->labels));
    if (r->size_text) json_object_object_add(o, "Size", json_object_new_string(r->size_text));
    json_object_object_add(o, "Ports",
                           tmpl ? json_object_new_string(r->ports_text) : ports_json(&r->ports));
    return o;
}

static int print_rows(const ps_opts_t *o, row_t *rows, size_t n)
{
    bool json = o->format && !strcmp(o->format, "json");
    json_object *arr = json ? json_object_new_array() : NULL;
    int pw = 8;  /* the PORTS column: as wide as its longest */
    int iw = 28; /* IMAGE: at least two spaces after the longest name */
    for (size_t i = 0; i < n; i++) {
        if ((int)strlen(rows[i].ports_text) + 3 > pw) pw = (int)strlen(rows[i].ports_text) + 3;
        const char *img = rows[i].rec->image_name ? rows[i].rec->image_name : rows[i].rec->image_id;
        if ((int)strlen(img) + 2 > iw) iw = (int)strlen(img) + 2;
    }
    if (!o->quiet && !o->format && !o->noheading)
        printf("%-14s%-*s%-22s%-24s%-36s%-*s%s%s\n", "CONTAINER ID", iw, "IMAGE", "COMMAND",
               "CREATED", "STATUS", pw, "PORTS", o->size ? "NAMES                 " : "NAMES",
               o->size ? "SIZE" : "");
    for (size_t i = 0; i < n; i++) {
        row_t *r = &rows[i];
        rl_autofree char *status = status_text(r);
        if (o->quiet) {
            printf("%.*s\n", o->no_trunc ? 64 : 12, r->rec->id);
        } else if (json) {
            json_object_array_add(arr, row_json(r, status, false));
        } else if (o->format) {
            rl_autojson json_object *j = row_json(r, status, true);
            rl_strbuf_t sb = RL_STRBUF_INIT;
            rl_error_t err = RL_ERROR_INIT;
            if (rl_template_render(o->format, j, &sb, &err) < 0) {
                rl_strbuf_free(&sb);
                return rl_cli_fail(&err);
            }
            printf("%s\n", sb.buf ? sb.buf : "");
            rl_strbuf_free(&sb);
        } else {
            rl_autofree char *created = rl_cli_human_age(rl_cli_parse_time(r->rec->created));
            char cmd[21];
            snprintf(cmd, sizeof cmd, "%s", r->command);
            printf("%-14.*s%-*s%-22s%-24s%-36s%-*s", o->no_trunc ? 64 : 12, r->rec->id, iw,
                   r->rec->image_name ? r->rec->image_name : r->rec->image_id,
                   o->no_trunc ? r->command : cmd, created, status, pw, r->ports_text);
            if (o->size)
                printf("%-22s%s\n", r->rec->name, r->size_text);
            else
                printf("%s\n", r->rec->name);
        }
    }
    if (json) printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY));
    json_object_put(arr);
    return 0;
}

static int set_latest(void *ctx, const char *v)
{
    (void)v;
    ps_opts_t *o = ctx;
    o->latest = o->all = true;
    return 0;
}

static int set_last(void *ctx, const char *v)
{
    ps_opts_t *o = ctx;
    if ((o->last = rl_cli_parse_uint("--last", v, 1 << 30)) < 0) return -1;
    o->all = true;
    return 0;
}

static int set_filter(void *ctx, const char *v)
{
    if (check_filter(v)) return -1;
    rl_strv_push(&((ps_opts_t *)ctx)->filters, xstrdup(v));
    return 0;
}

static int set_format(void *ctx, const char *v)
{
    if (strcmp(v, "json") && !strstr(v, "{{")) {
        rl_cli_usage("ps", "--format '%s': use json or a template such as '{{.ID}}'", v);
        return -1;
    }
    ((ps_opts_t *)ctx)->format = v;
    return 0;
}

static int set_sort(void *ctx, const char *v)
{
    static const struct {
        const char *name;
        int (*cmp)(const void *, const void *);
    } keys[] = {{"created", by_created_desc},
                {"runningfor", by_created_desc},
                {"id", by_id},
                {"names", by_name},
                {"image", by_image},
                {"command", by_command},
                {"status", by_status}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(v, keys[i].name)) return ((ps_opts_t *)ctx)->sort = keys[i].cmp, 0;
    rl_cli_usage("ps", "--sort '%s': use command, created, id, image, names, runningfor or status",
                 v);
    return -1;
}

static const rl_cli_opt_t ps_opts[] = {
    RL_FLAG("all", 'a', ps_opts_t, all, "every container, not only running ones"),
    RL_FLAG("quiet", 'q', ps_opts_t, quiet, "ids only"),
    RL_FLAG("no-trunc", 0, ps_opts_t, no_trunc, "whole ids and commands"),
    RL_FN("latest", 'l', NULL, set_latest, "the container created last"),
    RL_FN("last", 'n', "N", set_last, "the N containers created last"),
    RL_FN("filter", 'f', "KEY=VALUE", set_filter, "status=, name=, id=, ancestor=, label="),
    RL_FN("format", 0, "json|TEMPLATE", set_format, "print as JSON or with a Go template"),
    RL_FLAG("size", 's', ps_opts_t, size, "the size of each container's files"),
    RL_IGNORED("external", 0, NULL, "containers of other tools in the store too (rl's has none)"),
    RL_FN("sort", 0, "KEY", set_sort, "created (newest first), id, image, names, command, status"),
    RL_FLAG("noheading", 0, ps_opts_t, noheading, "no heading line"),
    RL_IGNORED("sync", 0, NULL, "podman's state sync (rl's monitor keeps the state current)"),
    RL_LATER("pod", 'p', NULL, "pods"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_ps = {"ps", "list containers", "", ps_opts, true};

int rl_cmd_ps(int argc, char **argv)
{
    ps_opts_t o = {0};
    int rc = rl_cli_parse(&rl_cli_ps, argc, argv, &o) < 0 ? RL_EXIT_FAILURE : 0;
    rl_autostore rl_store_t *s = rc ? NULL : rl_cli_store();
    if (rc || !s) return rl_strv_free(o.filters), rc ? rc : RL_EXIT_FAILURE;
    rl_ctr_rec_t *recs;
    size_t n, kept = 0;
    rl_ctr_list(s, &recs, &n);
    row_t *rows = xcalloc(n + 1, sizeof *rows);
    rl_store_image_db_t db;
    bool have_db = o.size && load_images(s, &db);
    for (size_t i = 0; i < n; i++) {
        row_t *r = &rows[kept];
        rl_error_t e = RL_ERROR_INIT;
        r->rec = &recs[i];
        if (rl_ctr_state_load(s, recs[i].id, &r->st, &e) < 0) rl_error_clear(&e);
        r->live = rl_ctr_state_live(&r->st);
        load_spec_bits(s, r);
        rl_engine_ctr_ports(r->rec, &r->st, &r->ports);
        r->ports_text = rl_net_ports_summary(&r->ports);
        if (keep(&o, r)) {
            if (o.size) r->size_text = size_text(s, have_db ? &db : NULL, r->rec);
            kept++;
        } else {
            row_clear(r);
        }
    }
    qsort(rows, kept, sizeof *rows, by_created_desc);
    size_t show = o.latest ? (kept ? 1 : 0)
                  : o.last ? (size_t)o.last < kept ? (size_t)o.last : kept
                           : kept;
    if (o.sort) qsort(rows, show, sizeof *rows, o.sort);
    if (have_db) rl_store_image_db_free(&db);
    rc = print_rows(&o, rows, show);
    for (size_t i = 0; i < kept; i++)
        row_clear(&rows[i]);
    free(rows);
    rl_ctr_list_free(recs, n);
    rl_strv_free(o.filters);
    return rc;
}
