/* SPDX-License-Identifier: Apache-2.0 */
/* Manifests and indexes, OCI and Docker v2 schema 2 (untrusted input:
 * media types checked, digests validated, sizes bounded). */
#ifndef RL_IMAGE_MANIFEST_H
#define RL_IMAGE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_descriptor {
    char *media_type, *digest;
    int64_t size;
    char *arch, *os, *variant; /* index entries only */
} rl_descriptor_t;

typedef struct rl_manifest {
    bool is_index;
    char *media_type;
    rl_descriptor_t config;
    rl_descriptor_t *layers; /* or, for an index, the manifests */
    size_t n_layers;
} rl_manifest_t;

typedef struct rl_platform {
    const char *os, *arch, *variant; /* NULL: this machine's */
} rl_platform_t;

/* media_type: the Content-Type the registry sent (may be NULL). */
int rl_manifest_parse(const char *text, size_t len, const char *media_type, rl_manifest_t *m,
                      rl_error_t *err);
void rl_manifest_clear(rl_manifest_t *m);
/* The index entry for platform p, or NULL with an error listing what there is. */
const rl_descriptor_t *rl_manifest_select(const rl_manifest_t *index, const rl_platform_t *p,
                                          rl_error_t *err);
/* {"mediaType", "digest", "size"} for manifests rl writes (import, load). */
json_object *rl_descriptor_json(const char *type, const char *digest, uint64_t size);
/* "linux/arm64/v8" → parts (into a caller buffer). */
int rl_platform_parse(const char *s, rl_platform_t *p, char *buf, size_t size, rl_error_t *err);

#endif
