/* SPDX-License-Identifier: Apache-2.0 */
/* `rl pull`: resolve the name (registries.conf), fetch the manifest (an
 * index picks the platform), the config, and the layers: each layer in its
 * own storage-namespace child that streams, checks and extracts it, several
 * at once. */
#ifndef RL_IMAGE_PULL_H
#define RL_IMAGE_PULL_H

#include "pkg/image/manifest.h"
#include "progress.h"
#include "storage/store.h"

typedef struct rl_pull_opts {
    const char *image;
    rl_platform_t platform;
    int tls_verify;                /* -1: as registries.conf says; 0: off; 1: on */
    const rl_progress_t *progress; /* NULL: quiet */
} rl_pull_opts_t;

/* *id: the image id. */
int rl_transport_pull(rl_store_t *s, const rl_pull_opts_t *o, char **id, rl_error_t *err);

#endif
