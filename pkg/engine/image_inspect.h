/* SPDX-License-Identifier: Apache-2.0 */
/* `rl image inspect`: the fields podman shows for an image. */
#ifndef RL_IMAGE_INSPECT_H
#define RL_IMAGE_INSPECT_H

#include <json-c/json.h>

#include "storage/images.h"

json_object *rl_engine_image_inspect_json(rl_store_t *s, const rl_store_image_t *img,
                                          rl_error_t *err);

#endif
