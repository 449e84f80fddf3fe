/* SPDX-License-Identifier: Apache-2.0 */
/* A client for the Registry HTTP API v2 (libcurl): manifests and blobs,
 * anonymous or basic bearer-token auth from WWW-Authenticate, retries with
 * backoff on timeouts, 429 and 5xx, redirects to blob storage. */
#ifndef RL_IMAGE_REGISTRY_H
#define RL_IMAGE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_registry {
    char *host;     /* as contacted: "registry-1.docker.io", "127.0.0.1:5000" */
    char *repo;     /* "library/busybox" */
    bool insecure;  /* http allowed, TLS not verified (--tls-verify=false, insecure=true) */
    char *scheme;   /* "https", or "http" once an insecure registry answered on it */
    char *basic;    /* base64 user:password from auth.json, or NULL */
    char *token;    /* bearer token once obtained */
    int retries;    /* attempts on transient failures (default 4) */
    int stall_secs; /* a transfer under 1 kB/s this long has stalled */
} rl_registry_t;

/* Fails only when libcurl cannot be loaded. */
int rl_registry_init(rl_registry_t *r, const char *host, const char *repo, bool insecure,
                     rl_error_t *err);
void rl_registry_clear(rl_registry_t *r);

#define RL_MANIFEST_MAX (4 << 20)

/* Sizes: a descriptor's (an index entry's, a manifest's config or layer), or
 * -1 when none is known. A body is never read past it (nor past max, nor
 * RL_MANIFEST_MAX), and one of another length is refused like a digest
 * mismatch. Every transfer below 1 kB/s for stall_secs (30, or
 * $RL_REGISTRY_STALL_TIMEOUT) counts as a transient failure. */

/* GET /v2/<repo>/manifests/<ref>. *digest: the body's sha256 (checked
 * against Docker-Content-Digest, and against ref when ref is a digest). */
int rl_registry_manifest(rl_registry_t *r, const char *ref, int64_t size, char **body, size_t *len,
                         char **media_type, char **digest, rl_error_t *err);
/* A small blob (the config) into memory, digest checked. */
int rl_registry_blob_mem(rl_registry_t *r, const char *digest, int64_t size, size_t max,
                         char **body, size_t *len, rl_error_t *err);
/* Stream a blob into fd (a pipe). Returns 0 when it arrived whole, 1 when
 * a retry may help (timeouts, 5xx, cut connections), -1 with err.
 * progress (may be NULL) counts bytes as they come. */
int rl_registry_blob_fd(rl_registry_t *r, const char *digest, int64_t size, int fd,
                        volatile uint64_t *progress, rl_error_t *err);

#endif
