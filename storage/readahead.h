/* SPDX-License-Identifier: Apache-2.0 */
/* Decompression one chunk ahead of the tar reader: a thread of its own runs
 * rl_decomp (inflate and both digests) into a few buffers while the caller
 * creates the files of the chunk before, so that one layer's unpacking uses
 * two cores. Measured on make bench's many-file image: the thread that
 * created the files also inflated and hashed, 40% of its time. */
#ifndef RL_STORAGE_READAHEAD_H
#define RL_STORAGE_READAHEAD_H

#include <sys/types.h>

#include "decompress.h"
#include "pkg/util/error.h"

typedef struct rl_readahead rl_readahead_t;

/* Start reading D ahead (D stays the caller's, untouched until stop). */
rl_readahead_t *rl_readahead_start(rl_decomp_t *d, rl_error_t *err);
/* The next chunk of the uncompressed stream, valid until the next call;
 * 0 at the end, -1 with err. */
ssize_t rl_readahead_next(rl_readahead_t *r, const void **buf, rl_error_t *err);
/* Skip to the end of the blob (what follows the tar end still counts) and
 * give its digests, as rl_decomp_finish. */
int rl_readahead_finish(rl_readahead_t *r, char blob[RL_DIGEST_LEN + 1],
                        char diff[RL_DIGEST_LEN + 1], rl_error_t *err);
/* Stop the thread (at its next chunk) and free R; NULL is fine. */
void rl_readahead_stop(rl_readahead_t *r);

#endif
