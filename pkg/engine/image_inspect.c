/* SPDX-License-Identifier: Apache-2.0 */
/* Image inspect JSON (see inspect.h), from images.json and the stored config. */
#include "image_inspect.h"

#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "storage/layers.h"

static json_object *repo_digests(const rl_store_image_t *img)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; img->names[i]; i++) {
        const char *n = img->names[i];
        const char *slash = strrchr(n, '/');
        const char *colon = strrchr(slash ? slash : n, ':');
        int len = colon ? (int)(colon - n) : (int)strlen(n);
        for (size_t k = 0; img->digests[k]; k++) {
            rl_autofree char *rd = xasprintf("%.*s@%s", len, n, img->digests[k]);
            json_object_array_add(a, json_object_new_string(rd));
        }
    }
    return a;
}

static json_object *get_or_null(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (o && json_object_object_get_ex(o, key, &v) && v) return json_object_get(v);
    return NULL;
}

static void add_graph_driver(rl_store_t *s, json_object *o, const rl_store_image_t *img)
{
    json_object *gd = json_object_new_object();
    json_object_object_add(gd, "Name", json_object_new_string("overlay"));
    json_object *data = json_object_new_object();
    size_t n = rl_strv_len(img->layers);
    if (n > 0) {
        rl_autofree char *upper = rl_layer_diff_path(s, img->layers[n - 1]);
        json_object_object_add(data, "UpperDir", json_object_new_string(upper));
        rl_strbuf_t lower = {0};
        for (size_t i = n - 1; i-- > 0;) {
            rl_autofree char *p = rl_layer_diff_path(s, img->layers[i]);
            rl_strbuf_appendf(&lower, "%s%s", lower.len ? ":" : "", p);
        }
        if (lower.len)
            json_object_object_add(data, "LowerDir", json_object_new_string(rl_strbuf_str(&lower)));
        rl_strbuf_free(&lower);
    }
    json_object_object_add(gd, "Data", data);
    json_object_object_add(o, "GraphDriver", gd);
}

json_object *rl_engine_image_inspect_json(rl_store_t *s, const rl_store_image_t *img,
                                          rl_error_t *err)
{
    rl_autofree char *config = NULL, *manifest = NULL;
    if (rl_store_image_read_file(s, img->id, "config.json", &config, err) < 0 ||
        rl_store_image_read_file(s, img->id, "manifest.json", &manifest, err) < 0)
        return NULL;
    rl_autojson json_object *cfg = rl_json_parse(config, strlen(config), "image config", err);
    rl_autojson json_object *man = rl_json_parse(manifest, strlen(manifest), "manifest", err);
    if (!cfg || !man) return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Id", json_object_new_string(img->id));
    json_object_object_add(o, "Digest",
                           json_object_new_string(img->digests[0] ? img->digests[0] : ""));
    json_object_object_add(o, "RepoTags", rl_json_new_strv((const char *const *)img->names));
    json_object_object_add(o, "RepoDigests", repo_digests(img));
    json_object_object_add(o, "Parent", json_object_new_string(""));
    json_object_object_add(o, "Comment", json_object_new_string(""));
    json_object_object_add(o, "Created", get_or_null(cfg, "created"));
    json_object *inner = get_or_null(cfg, "config");
    json_object_object_add(o, "Config", inner ? inner : json_object_new_object());
    json_object_object_add(o, "Version", json_object_new_string(""));
    json_object_object_add(o, "Author", get_or_null(cfg, "author"));
    json_object_object_add(o, "Architecture", get_or_null(cfg, "architecture"));
    json_object_object_add(o, "Os", get_or_null(cfg, "os"));
    if (json_object_object_get_ex(cfg, "variant", NULL))
        json_object_object_add(o, "Variant", get_or_null(cfg, "variant"));
    json_object_object_add(o, "Size", json_object_new_int64((int64_t)img->size));
    json_object_object_add(o, "VirtualSize", json_object_new_int64((int64_t)img->size));
    add_graph_driver(s, o, img);
    json_object *rootfs = json_object_new_object();
    json_object_object_add(rootfs, "Type", json_object_new_string("layers"));
    json_object *rf = get_or_null(cfg, "rootfs");
    json_object_object_add(rootfs, "Layers", get_or_null(rf, "diff_ids"));
    if (rf) json_object_put(rf);
    json_object_object_add(o, "RootFS", rootfs);
    json_object_object_add(o, "Labels", get_or_null(inner, "Labels"));
    json_object_object_add(o, "Annotations", get_or_null(man, "annotations"));
    json_object *mt = get_or_null(man, "mediaType");
    json_object_object_add(
        o, "ManifestType",
        mt ? mt : json_object_new_string("application/vnd.oci.image.manifest.v1+json"));
    json_object_object_add(o, "User", get_or_null(inner, "User"));
    json_object_object_add(o, "History", get_or_null(cfg, "history"));
    json_object_object_add(o, "NamesHistory", rl_json_new_strv((const char *const *)img->names));
    return o;
}
