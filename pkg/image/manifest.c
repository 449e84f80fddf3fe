/* SPDX-License-Identifier: Apache-2.0 */
/* Manifest and index parsing (see manifest.h). */
#include "manifest.h"

#include <stdio.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/digest.h"
#include "pkg/util/json.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/platform.h"

#define OCI_INDEX       "application/vnd.oci.image.index.v1+json"
#define DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"

static const char *const layer_types[] = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar",
    NULL,
};

static bool one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i])) return true;
    return false;
}

static void desc_clear(rl_descriptor_t *d)
{
    free(d->media_type), free(d->digest), free(d->arch), free(d->os), free(d->variant);
    memset(d, 0, sizeof *d);
}

void rl_manifest_clear(rl_manifest_t *m)
{
    desc_clear(&m->config);
    for (size_t i = 0; i < m->n_layers; i++)
        desc_clear(&m->layers[i]);
    free(m->layers);
    free(m->media_type);
    memset(m, 0, sizeof *m);
}

static int parse_desc(json_object *o, const char *path, bool platform, rl_descriptor_t *d,
                      rl_error_t *err)
{
    const char *mt = NULL, *dg = NULL;
    d->size = -1;
    if (rl_json_expect(o, path, json_type_object, err) < 0 ||
        rl_json_str(o, path, "mediaType", false, &mt, err) < 0 ||
        rl_json_str(o, path, "digest", true, &dg, err) < 0 ||
        rl_json_i64(o, path, "size", 0, INT64_MAX, &d->size, err) < 0)
        return -1;
    /* Required by the spec, and what bounds every download. */
    if (d->size < 0) return rl_error_set(err, 0, "%s.size: missing", path);
    if (rl_digest_validate(dg, err) < 0) return rl_error_wrap(err, "%s.digest", path);
    d->media_type = xstrdup(mt ? mt : "");
    d->digest = xstrdup(dg);
    json_object *p = NULL;
    if (!platform) return 0;
    rl_autofree char *pp = rl_json_path_key(path, "platform");
    const char *arch = NULL, *os = NULL, *variant = NULL;
    if (rl_json_get(o, path, "platform", json_type_object, false, &p, err) < 0) return -1;
    if (p && (rl_json_str(p, pp, "architecture", false, &arch, err) < 0 ||
              rl_json_str(p, pp, "os", false, &os, err) < 0 ||
              rl_json_str(p, pp, "variant", false, &variant, err) < 0))
        return -1;
    d->arch = arch ? xstrdup(arch) : NULL;
    d->os = os ? xstrdup(os) : NULL;
    d->variant = variant ? xstrdup(variant) : NULL;
    return 0;
}

static int parse_list(json_object *j, const char *key, bool platform, rl_manifest_t *m,
                      rl_error_t *err)
{
    json_object *arr = NULL;
    if (rl_json_get(j, "", key, json_type_array, true, &arr, err) < 0) return -1;
    size_t n = json_object_array_length(arr);
    if (n > 1000) return rl_error_set(err, 0, "%s: more than 1000 entries", key);
    m->layers = xcalloc(n ? n : 1, sizeof *m->layers);
    for (size_t i = 0; i < n; i++) {
        rl_autofree char *path = rl_json_path_idx(key, i);
        /* Counted first: a descriptor that fails half-way still owns strings. */
        m->n_layers++;
        if (parse_desc(json_object_array_get_idx(arr, i), path, platform, &m->layers[i], err) < 0)
            return -1;
        if (!platform && !one_of(m->layers[i].media_type, layer_types))
            return rl_error_set(err, 0, "%s.mediaType: unknown layer media type '%s'", path,
                                m->layers[i].media_type);
    }
    return 0;
}

static int parse_body(json_object *j, const char *type, rl_manifest_t *m, rl_error_t *err)
{
    int64_t version = 0;
    if (rl_json_i64(j, "", "schemaVersion", 0, 100, &version, err) < 0) return -1;
    if (version != 2)
        return rl_error_set(err, 0, "schemaVersion %lld is not supported (only 2)",
                            (long long)version);
    m->media_type = xstrdup(type);
    if (!strcmp(type, OCI_INDEX) || !strcmp(type, DOCKER_LIST)) {
        m->is_index = true;
        return parse_list(j, "manifests", true, m, err);
    }
    if (strcmp(type, OCI_MANIFEST) && strcmp(type, DOCKER_MANIFEST))
        return rl_error_set(err, 0, "unknown manifest media type '%s'", type);
    json_object *cfg = NULL;
    if (rl_json_get(j, "", "config", json_type_object, true, &cfg, err) < 0 ||
        parse_desc(cfg, "config", false, &m->config, err) < 0)
        return -1;
    return parse_list(j, "layers", false, m, err);
}

int rl_manifest_parse(const char *text, size_t len, const char *media_type, rl_manifest_t *m,
                      rl_error_t *err)
{
    memset(m, 0, sizeof *m);
    if (len > (4 << 20)) return rl_error_set(err, 0, "manifest: larger than 4 MiB");
    rl_autojson json_object *j = rl_json_parse(text, len, "manifest", err);
    if (!j) return -1;
    if (!json_object_is_type(j, json_type_object))
        return rl_error_set(err, 0, "manifest: expected a JSON object");
    const char *mt = NULL;
    if (rl_json_str(j, "", "mediaType", false, &mt, err) < 0) return rl_error_wrap(err, "manifest");
    /* The body's own mediaType wins; OCI allows it absent (then the header). */
    const char *type = mt ? mt : media_type;
    if (!type) {
        json_object *x;
        type = json_object_object_get_ex(j, "manifests", &x) ? OCI_INDEX : OCI_MANIFEST;
    }
    if (parse_body(j, type, m, err) < 0) {
        rl_manifest_clear(m);
        return rl_error_wrap(err, "manifest");
    }
    return 0;
}

static const char *default_variant(const char *arch)
{
    return !strcmp(arch, "arm64") ? "v8" : !strcmp(arch, "arm") ? "v7" : NULL;
}

const rl_descriptor_t *rl_manifest_select(const rl_manifest_t *idx, const rl_platform_t *p,
                                          rl_error_t *err)
{
    const char *os = p && p->os ? p->os : "linux";
    const char *arch = p && p->arch ? p->arch : rl_go_arch();
    const char *variant = p && p->variant ? p->variant : NULL;
    const rl_descriptor_t *best = NULL;
    for (size_t i = 0; i < idx->n_layers; i++) {
        const rl_descriptor_t *d = &idx->layers[i];
        if (!d->os || !d->arch || strcmp(d->os, os) || strcmp(d->arch, arch)) continue;
        const char *want = variant ? variant : default_variant(arch);
        if (variant && (!d->variant || strcmp(d->variant, variant))) continue;
        if (!best || (want && d->variant && !strcmp(d->variant, want))) best = d;
    }
    if (best) return best;
    rl_strbuf_t have = {0};
    for (size_t i = 0; i < idx->n_layers; i++)
        rl_strbuf_appendf(
            &have, "%s%s/%s%s%s", i ? ", " : "", idx->layers[i].os ? idx->layers[i].os : "?",
            idx->layers[i].arch ? idx->layers[i].arch : "?", idx->layers[i].variant ? "/" : "",
            idx->layers[i].variant ? idx->layers[i].variant : "");
    rl_error_set(err, 0,
                 "no image for %s/%s%s%s in the index (it has: %s); choose one with --platform", os,
                 arch, variant ? "/" : "", variant ? variant : "", rl_strbuf_str(&have));
    rl_strbuf_free(&have);
    return NULL;
}

int rl_platform_parse(const char *s, rl_platform_t *p, char *buf, size_t size, rl_error_t *err)
{
    if (strlen(s) >= size) return rl_error_set(err, 0, "--platform '%s': too long", s);
    strcpy(buf, s);
    char *a = strchr(buf, '/');
    if (!a || !a[1] || a == buf)
        return rl_error_set(err, 0, "--platform '%s': expected OS/ARCH[/VARIANT]", s);
    *a++ = 0;
    char *v = strchr(a, '/');
    if (v) *v++ = 0;
    if (v && (!*v || strchr(v, '/')))
        return rl_error_set(err, 0, "--platform '%s': expected OS/ARCH[/VARIANT]", s);
    p->os = buf, p->arch = a, p->variant = v;
    return 0;
}

json_object *rl_descriptor_json(const char *type, const char *digest, uint64_t size)
{
    json_object *d = json_object_new_object();
    json_object_object_add(d, "mediaType", json_object_new_string(type));
    json_object_object_add(d, "digest", json_object_new_string(digest));
    json_object_object_add(d, "size", json_object_new_int64((int64_t)size));
    return d;
}
