/* SPDX-License-Identifier: Apache-2.0 */
/* Import a rootfs tarball (see import.h). */
#include "import.h"
#include "pkg/image/manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "storage/images.h"
#include "storage/layers.h"
#include "pkg/util/platform.h"

char *rl_transport_local_name(const char *name, rl_error_t *err)
{
    rl_ref_t ref;
    if (rl_ref_parse(name, &ref, err) < 0) return NULL;
    if (ref.digest) {
        rl_ref_free(&ref);
        rl_error_set(err, 0, "'%s': a name for a new image cannot carry a digest", name);
        return NULL;
    }
    if (rl_ref_is_short(&ref)) rl_ref_set_domain(&ref, "localhost");
    rl_ref_normalize(&ref);
    char *s = rl_ref_string(&ref);
    rl_ref_free(&ref);
    return s;
}

const char *rl_transport_layer_media_type(int fd)
{
    unsigned char m[4] = {0};
    ssize_t n = pread(fd, m, sizeof m, 0);
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        return "application/vnd.oci.image.layer.v1.tar+gzip";
    if (n == 4 && !memcmp(m, "\x28\xb5\x2f\xfd", 4))
        return "application/vnd.oci.image.layer.v1.tar+zstd";
    return "application/vnd.oci.image.layer.v1.tar";
}

static char *make_config(const rl_layer_info_t *l, const char *created)
{
    rl_autojson json_object *j = json_object_new_object();
    json_object_object_add(j, "created", json_object_new_string(created));
    json_object_object_add(j, "architecture", json_object_new_string(rl_go_arch()));
    json_object_object_add(j, "os", json_object_new_string("linux"));
    json_object *cfg = json_object_new_object();
    const char *env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};
    json_object_object_add(cfg, "Env", rl_json_new_strv(env));
    json_object_object_add(j, "config", cfg);
    json_object *rootfs = json_object_new_object();
    json_object_object_add(rootfs, "type", json_object_new_string("layers"));
    const char *diffs[] = {l->diff_id, NULL};
    json_object_object_add(rootfs, "diff_ids", rl_json_new_strv(diffs));
    json_object_object_add(j, "rootfs", rootfs);
    json_object *hist = json_object_new_array();
    json_object *h = json_object_new_object();
    json_object_object_add(h, "created", json_object_new_string(created));
    json_object_object_add(h, "created_by", json_object_new_string("rl import"));
    json_object_array_add(hist, h);
    json_object_object_add(j, "history", hist);
    return xstrdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
}

static char *make_manifest(const rl_layer_info_t *l, const char *layer_type, const char *config,
                           const char *cdig)
{
    rl_autojson json_object *j = json_object_new_object();
    json_object_object_add(j, "schemaVersion", json_object_new_int(2));
    json_object_object_add(j, "mediaType",
                           json_object_new_string("application/vnd.oci.image.manifest.v1+json"));
    json_object_object_add(
        j, "config",
        rl_descriptor_json("application/vnd.oci.image.config.v1+json", cdig, strlen(config)));
    json_object *layers = json_object_new_array();
    json_object_array_add(layers, rl_descriptor_json(layer_type, l->blob, l->blob_size));
    json_object_object_add(j, "layers", layers);
    return xstrdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
}

int rl_transport_import(rl_store_t *s, const char *tarball, const char *name, char **id,
                        rl_error_t *err)
{
    rl_autofree char *full = name ? rl_transport_local_name(name, err) : NULL;
    if (name && !full) return -1;
    rl_autoclose int fd = open(tarball, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "open '%s'", tarball);
    rl_autoclose int hold = rl_store_hold_layers(s, err);
    if (hold < 0) return -1;
    rl_layer_source_t src = rl_layer_source_fd(&fd, tarball);
    rl_layer_job_t job;
    rl_layer_info_t info;
    if (rl_layer_create_start(s, NULL, NULL, &src, &job, err) < 0) {
        rl_layer_job_abort(s, &job);
        return rl_error_wrap(err, "import '%s'", tarball);
    }
    if (rl_layer_create_finish(s, &job, &info, err) < 0)
        return rl_error_wrap(err, "import '%s'", tarball);
    rl_autofree char *created = rl_now_rfc3339();
    rl_autofree char *config = make_config(&info, created);
    char cdig[RL_DIGEST_LEN + 1], mdig[RL_DIGEST_LEN + 1];
    if (rl_sha256_data(config, strlen(config), cdig, err) < 0) return -1;
    rl_autofree char *manifest =
        make_manifest(&info, rl_transport_layer_media_type(fd), config, cdig);
    if (rl_sha256_data(manifest, strlen(manifest), mdig, err) < 0) return -1;
    char *names[] = {full, NULL};
    char *digests[] = {mdig, NULL};
    char *layers[] = {info.id, NULL};
    rl_store_image_t img = {.id = (char *)rl_digest_hex(cdig),
                            .names = full ? names : NULL,
                            .digests = digests,
                            .layers = layers,
                            .created = created,
                            .arch = (char *)rl_go_arch(),
                            .os = "linux",
                            .size = info.size};
    if (rl_store_image_commit(s, &img, manifest, config, err) < 0) return -1;
    *id = xstrdup(img.id);
    return 0;
}
