/* SPDX-License-Identifier: Apache-2.0 */
/* Extract one layer (a tar stream, compressed or not) into a directory,
 * converting OCI whiteouts for overlay. Runs as root of the storage user
 * namespace (rootless/userns.h) so owners from the tar header land as the
 * mapped ids; never writes outside dest. */
#ifndef RL_STORAGE_EXTRACT_H
#define RL_STORAGE_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "pkg/util/digest.h"
#include "pkg/util/error.h"

typedef struct rl_extract_opts {
    int in_fd;        /* the blob as stored or served */
    const char *dest; /* an empty directory */
    uint64_t limit;   /* most uncompressed bytes */
    bool rootless;    /* opaque dirs as user.overlay.opaque (else trusted.) */
} rl_extract_opts_t;

typedef struct rl_extract_result {
    char blob[RL_DIGEST_LEN + 1]; /* sha256 of the bytes read */
    char diff[RL_DIGEST_LEN + 1]; /* sha256 of the tar stream: the diff-id */
    uint64_t blob_size, tar_size;
    unsigned devices_skipped;
} rl_extract_result_t;

int rl_extract_layer(const rl_extract_opts_t *o, rl_extract_result_t *res, rl_error_t *err);

/* The entry path check, shared with the unit tests: strips "./" and "/"
 * prefixes into out; refuses ".." components. */
int rl_extract_clean_path(const char *path, char *out, size_t size, rl_error_t *err);

/* The default limit on a layer's uncompressed size, RL_LAYER_SIZE_LIMIT overrides. */
uint64_t rl_extract_default_limit(void);

#endif
