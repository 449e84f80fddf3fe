/* SPDX-License-Identifier: Apache-2.0 */
/* What a transfer tells whoever shows it: steps (a line each in podman's
 * words) and, while blobs move, their byte counts. pkg/transport never
 * prints; cmd/ renders (cmd/rl/progress.c), and build and push reuse it. */
#ifndef RL_TRANSPORT_PROGRESS_H
#define RL_TRANSPORT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    RL_PROGRESS_TRYING,       /* what: the full name being pulled */
    RL_PROGRESS_SIGNATURES,   /* what: NULL */
    RL_PROGRESS_BLOB_DONE,    /* what: the blob's short id */
    RL_PROGRESS_BLOB_SKIPPED, /* what: the blob's short id; it was there already */
    RL_PROGRESS_CONFIG,       /* what: the config's short id */
    RL_PROGRESS_MANIFEST,     /* what: NULL */
} rl_progress_step_t;

typedef struct rl_progress_bar {
    const char *id; /* short id */
    uint64_t done, total;
} rl_progress_bar_t;

typedef struct rl_progress {
    void (*step)(void *arg, rl_progress_step_t step, const char *what);
    /* Every blob of the transfer, about 5 times a second while any moves
     * and once more at the end (final); NULL: no byte counts wanted. */
    void (*bars)(void *arg, const rl_progress_bar_t *bars, size_t n, bool final);
    void *arg;
} rl_progress_t;

/* Calls through p where p and the callback are there. */
void rl_progress_step(const rl_progress_t *p, rl_progress_step_t step, const char *what);

#endif
