/* SPDX-License-Identifier: Apache-2.0 */
/* `rl import`: a root filesystem tarball becomes a one-layer image. */
#ifndef RL_IMAGE_IMPORT_H
#define RL_IMAGE_IMPORT_H

#include "pkg/util/error.h"
#include "storage/store.h"

/* name may be NULL (an unnamed image); *id gets the new image's id. */
int rl_transport_import(rl_store_t *s, const char *tarball, const char *name, char **id,
                        rl_error_t *err);
/* "demo" → "localhost/demo:latest"; full names normalised. Caller frees. */
char *rl_transport_local_name(const char *name, rl_error_t *err);
/* The media type of a layer blob by its first bytes. */
const char *rl_transport_layer_media_type(int fd);

#endif
