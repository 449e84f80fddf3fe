/* SPDX-License-Identifier: Apache-2.0 */
/* Layers: extracted diffs named by chain id (layers/<chain>/diff), each
 * created in tmp/ by a storage-namespace child and renamed into place when
 * whole. A per-layer lock makes concurrent pulls download a layer once. */
#ifndef RL_STORAGE_LAYERS_H
#define RL_STORAGE_LAYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "pkg/util/digest.h"
#include "rootless/userns.h"
#include "store.h"

typedef struct rl_layer_info {
    char id[RL_DIGEST_HEX + 1];     /* chain id, hex */
    char parent[RL_DIGEST_HEX + 1]; /* "" for a base layer */
    char diff_id[RL_DIGEST_LEN + 1];
    char blob[RL_DIGEST_LEN + 1]; /* the compressed blob it came from */
    uint64_t blob_size, size;
} rl_layer_info_t;

/* Where a layer's bytes come from. open and close run in the child; close
 * returns 0 when the bytes were whole, 1 to retry (a failed download), -1
 * with err. */
typedef struct rl_layer_source {
    int (*open)(void *arg, rl_error_t *err);
    int (*close)(void *arg, int fd, rl_error_t *err);
    void *arg;
    const char *what;        /* for messages: the blob digest or file name */
    const char *expect_blob; /* NULL: not known */
    const char *expect_diff; /* NULL: not known (import) */
} rl_layer_source_t;

typedef struct rl_layer_job {
    rl_userns_job_t child;
    char *tmp;
    char *hex; /* NULL until known (import) */
    char *parent;
    int lock_fd;
    bool present; /* already stored: nothing to do */
    const rl_layer_source_t *src;
} rl_layer_job_t;

/* A source reading a file or pipe already open as *fd (import, load). */
rl_layer_source_t rl_layer_source_fd(int *fd, const char *what);

/* hex(sha256(parent_chain_digest + " " + diff_id)), or diff_id's hex for a base layer. */
int rl_layer_chain_id(const char *parent_hex, const char *diff_id, char out[RL_DIGEST_HEX + 1],
                      rl_error_t *err);
bool rl_layer_exists(const rl_store_t *s, const char *hex);
/* layers/<chain>/diff: the layer's files. Caller frees. */
char *rl_layer_diff_path(const rl_store_t *s, const char *chain);
/* The diff dirs of a layer chain (chain ids base first), top first as
 * overlay's lowerdir wants them. NULL-terminated; caller frees. */
char **rl_layer_diff_dirs(const rl_store_t *s, char *const *layers);
int rl_layer_read_info(const rl_store_t *s, const char *hex, rl_layer_info_t *info,
                       rl_error_t *err);
/* Per-key locks (locks/<key>): blocking, or -1 with err when held. */
int rl_layer_lock(const rl_store_t *s, const char *key, rl_error_t *err);
int rl_layer_trylock(const rl_store_t *s, const char *key, rl_error_t *err);

/* Start creating layer hex (NULL: named by its diff-id when done) above
 * parent (NULL for a base). Waits for another process making the same
 * layer; job->present tells it is there now. */
int rl_layer_create_start(rl_store_t *s, const char *hex, const char *parent,
                          const rl_layer_source_t *src, rl_layer_job_t *job, rl_error_t *err);
/* Wait for the child, check digests, record layer.json, rename into place. */
int rl_layer_create_finish(rl_store_t *s, rl_layer_job_t *job, rl_layer_info_t *info,
                           rl_error_t *err);
void rl_layer_job_abort(rl_store_t *s, rl_layer_job_t *job);
int rl_layer_remove(rl_store_t *s, const char *hex, rl_error_t *err);
/* Total bytes of a layer's tar (from layer.json), 0 when unknown. */
uint64_t rl_layer_size(const rl_store_t *s, const char *hex);

#endif
