/* SPDX-License-Identifier: Apache-2.0 */
/* `rl load`: images from a docker-archive (`docker save`) or an oci-archive
 * (an OCI image layout in a tar), gzip-compressed or not. */
#ifndef RL_IMAGE_LOAD_H
#define RL_IMAGE_LOAD_H

#include "pkg/util/strbuf.h"
#include "storage/store.h"

/* Appends "Loaded image: NAME" / "Loaded image: ID" lines to out. */
int rl_transport_load(rl_store_t *s, const char *file, rl_strbuf_t *out, rl_error_t *err);

#endif
