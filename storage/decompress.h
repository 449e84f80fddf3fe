/* SPDX-License-Identifier: Apache-2.0 */
/* A layer stream: reads compressed bytes from an fd (file or pipe), hashes
 * them (the blob digest) and the uncompressed bytes (the diff-id), and hands
 * out the tar stream. gzip goes through ISA-L's inflate (several times
 * zlib's speed), zlib when RL_INFLATE=zlib; zstd through libzstd; anything
 * else is taken as an uncompressed tar. */
#ifndef RL_STORAGE_DECOMPRESS_H
#define RL_STORAGE_DECOMPRESS_H

#include <stdint.h>
#include <sys/types.h>

#include "pkg/util/digest.h"
#include "pkg/util/error.h"

typedef enum { RL_COMP_NONE, RL_COMP_GZIP, RL_COMP_ZSTD } rl_comp_t;

typedef struct rl_decomp rl_decomp_t;

/* limit: the most uncompressed bytes accepted (a tar bomb beyond it fails). */
/* NULL when a hashing library cannot be loaded. */
rl_decomp_t *rl_decomp_new(int fd, uint64_t limit, rl_error_t *err);
/* Up to len uncompressed bytes; 0 at the end; -1 with err. */
ssize_t rl_decomp_read(rl_decomp_t *d, void *buf, size_t len, rl_error_t *err);
/* Read what is left (trailing zeros after the tar end, say) so that the
 * digests cover the whole blob; then the digests. */
int rl_decomp_finish(rl_decomp_t *d, char blob[RL_DIGEST_LEN + 1], char diff[RL_DIGEST_LEN + 1],
                     rl_error_t *err);
rl_comp_t rl_decomp_kind(const rl_decomp_t *d);
uint64_t rl_decomp_in_bytes(const rl_decomp_t *d);
uint64_t rl_decomp_out_bytes(const rl_decomp_t *d);
void rl_decomp_free(rl_decomp_t *d);

#endif
