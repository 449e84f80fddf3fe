/* SPDX-License-Identifier: Apache-2.0 */
#include "containers_conf.h"

#include <stdlib.h>
#include <string.h>

#include "pkg/util/toml.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

/* podman refuses a positive limit below this (containers/common) */
#define LOG_SIZE_MIN 8192

static int take_log_size(rl_engine_containers_conf_t *c, json_object *v, const char *path,
                         rl_error_t *err)
{
    if (!json_object_is_type(v, json_type_int))
        return rl_error_set(err, 0, "%s: [containers] log_size_max: expected a number of bytes",
                            path);
    long long n = json_object_get_int64(v);
    if (n > 0 && n < LOG_SIZE_MIN)
        return rl_error_set(err, 0,
                            "%s: [containers] log_size_max %lld: use -1 (no limit) or at "
                            "least %d bytes",
                            path, n, LOG_SIZE_MIN);
    c->log_size_max = n > 0 ? n : 0;
    return 0;
}

static int load_file(rl_engine_containers_conf_t *c, const char *path, rl_error_t *err)
{
    rl_autofree char *text = NULL;
    size_t len = 0;
    if (rl_fs_read_file(path, 1 << 20, &text, &len, err) < 0) return -1;
    rl_autojson json_object *j = rl_toml_parse(text, len, path, err);
    if (!j) return -1;
    json_object *ctrs, *v;
    if (json_object_object_get_ex(j, "containers", &ctrs) &&
        json_object_is_type(ctrs, json_type_object) &&
        json_object_object_get_ex(ctrs, "log_size_max", &v))
        return take_log_size(c, v, path, err);
    return 0;
}

static int load_if_there(rl_engine_containers_conf_t *c, const char *path, rl_error_t *err)
{
    return rl_fs_exists(path) ? load_file(c, path, err) : 0;
}

static int load_one(const char *path, void *ctx, rl_error_t *err)
{
    return load_file(ctx, path, err);
}

int rl_engine_containers_conf_load(rl_engine_containers_conf_t *c, rl_error_t *err)
{
    memset(c, 0, sizeof *c);
    const char *env = getenv("CONTAINERS_CONF");
    if (env && *env) return load_file(c, env, err);
    rl_autofree char *user = rl_user_config_path("containers/containers.conf");
    rl_autofree char *user_d = rl_user_config_path("containers/containers.conf.d");
    if (load_if_there(c, "/usr/share/containers/containers.conf", err) < 0 ||
        load_if_there(c, "/etc/containers/containers.conf", err) < 0 ||
        rl_fs_each_dropin("/etc/containers/containers.conf.d", ".conf", load_one, c, err) < 0 ||
        load_if_there(c, user, err) < 0 || rl_fs_each_dropin(user_d, ".conf", load_one, c, err) < 0)
        return -1;
    return 0;
}
