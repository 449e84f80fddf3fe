/* SPDX-License-Identifier: Apache-2.0 */
/* The OCI image config (application/vnd.oci.image.config.v1+json, same as
 * Docker's container config): what rl run takes from the image. */
#ifndef RL_IMAGE_CONFIG_H
#define RL_IMAGE_CONFIG_H

#include <json-c/json.h>

#include "pkg/util/error.h"

typedef struct rl_image_config {
    char *arch, *os, *variant, *created;
    char *user, *workdir, *stop_signal;
    char **env, **entrypoint, **cmd;
    char **diff_ids;
    char **exposed_ports; /* "80/tcp" */
    char **volumes;
    json_object *labels; /* object or NULL; owned */
} rl_image_config_t;

/* Parse and check config text; errors name the JSON path. */
int rl_image_config_parse(const char *text, size_t len, rl_image_config_t *c, rl_error_t *err);
void rl_image_config_free(rl_image_config_t *c);

#endif
