/* SPDX-License-Identifier: Apache-2.0 */
/* Image config parsing (see config.h). Untrusted input: every field is
 * type-checked, diff_ids must be sha256 digests. */
#include "config.h"

#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/digest.h"
#include "pkg/util/json.h"

#define CONFIG_MAX (8 << 20)

static char *dup_str(json_object *o, const char *path, const char *key, int *bad, rl_error_t *err)
{
    const char *s = NULL;
    if (rl_json_str(o, path, key, false, &s, err) < 0) *bad = 1;
    return s ? xstrdup(s) : NULL;
}

/* {"80/tcp": {}} → ["80/tcp"] */
static int object_keys(json_object *o, const char *path, const char *key, char ***out,
                       rl_error_t *err)
{
    json_object *obj = NULL;
    int r = rl_json_get(o, path, key, json_type_object, false, &obj, err);
    if (r <= 0) return r;
    json_object_object_foreach(obj, k, v)
    {
        (void)v;
        rl_strv_push(out, xstrdup(k));
    }
    return 0;
}

static int parse_inner(json_object *cfg, rl_image_config_t *c, rl_error_t *err)
{
    int bad = 0;
    c->user = dup_str(cfg, "config", "User", &bad, err);
    if (!bad) c->workdir = dup_str(cfg, "config", "WorkingDir", &bad, err);
    if (!bad) c->stop_signal = dup_str(cfg, "config", "StopSignal", &bad, err);
    if (bad || rl_json_strv(cfg, "config", "Env", false, &c->env, err) < 0 ||
        rl_json_strv(cfg, "config", "Entrypoint", false, &c->entrypoint, err) < 0 ||
        rl_json_strv(cfg, "config", "Cmd", false, &c->cmd, err) < 0 ||
        object_keys(cfg, "config", "ExposedPorts", &c->exposed_ports, err) < 0 ||
        object_keys(cfg, "config", "Volumes", &c->volumes, err) < 0)
        return -1;
    json_object *labels = NULL;
    if (rl_json_get(cfg, "config", "Labels", json_type_object, false, &labels, err) < 0) return -1;
    if (labels) {
        json_object_object_foreach(labels, k, v)
        {
            if (!json_object_is_type(v, json_type_string))
                return rl_error_set(err, 0, "config.Labels.%s: expected a string", k);
        }
        c->labels = json_object_get(labels);
    }
    return 0;
}

static int parse_rootfs(json_object *j, rl_image_config_t *c, rl_error_t *err)
{
    json_object *rootfs = NULL;
    const char *type = NULL;
    if (rl_json_get(j, "", "rootfs", json_type_object, true, &rootfs, err) < 0 ||
        rl_json_str(rootfs, "rootfs", "type", true, &type, err) < 0 ||
        rl_json_strv(rootfs, "rootfs", "diff_ids", true, &c->diff_ids, err) < 0)
        return -1;
    if (strcmp(type, "layers"))
        return rl_error_set(err, 0, "rootfs.type: '%s' is not \"layers\"", type);
    for (size_t i = 0; c->diff_ids[i]; i++)
        if (rl_digest_validate(c->diff_ids[i], err) < 0)
            return rl_error_wrap(err, "rootfs.diff_ids[%zu]", i);
    return 0;
}

int rl_image_config_parse(const char *text, size_t len, rl_image_config_t *c, rl_error_t *err)
{
    memset(c, 0, sizeof *c);
    if (len > CONFIG_MAX) return rl_error_set(err, 0, "image config: larger than 8 MiB");
    rl_autojson json_object *j = rl_json_parse(text, len, "image config", err);
    if (!j) return -1;
    int bad = 0;
    if (!json_object_is_type(j, json_type_object))
        return rl_error_set(err, 0, "image config: expected a JSON object");
    c->arch = dup_str(j, "", "architecture", &bad, err);
    if (!bad) c->os = dup_str(j, "", "os", &bad, err);
    if (!bad) c->variant = dup_str(j, "", "variant", &bad, err);
    if (!bad) c->created = dup_str(j, "", "created", &bad, err);
    json_object *cfg = NULL;
    if (bad || rl_json_get(j, "", "config", json_type_object, false, &cfg, err) < 0 ||
        (cfg && parse_inner(cfg, c, err) < 0) || parse_rootfs(j, c, err) < 0) {
        rl_image_config_free(c);
        return rl_error_wrap(err, "image config");
    }
    return 0;
}

void rl_image_config_free(rl_image_config_t *c)
{
    free(c->arch), free(c->os), free(c->variant), free(c->created);
    free(c->user), free(c->workdir), free(c->stop_signal);
    rl_strv_free(c->env), rl_strv_free(c->entrypoint), rl_strv_free(c->cmd);
    rl_strv_free(c->diff_ids), rl_strv_free(c->exposed_ports), rl_strv_free(c->volumes);
    if (c->labels) json_object_put(c->labels);
    memset(c, 0, sizeof *c);
}
