/* SPDX-License-Identifier: Apache-2.0 */
/* sha256 digests as OCI writes them ("sha256:<64 hex>"), computed while
 * data streams through (OpenSSL's EVP: SHA-NI where the CPU has it). */
#ifndef RL_UTIL_DIGEST_H
#define RL_UTIL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define RL_DIGEST_HEX 64
#define RL_DIGEST_LEN (7 + RL_DIGEST_HEX) /* "sha256:" + hex */

typedef struct rl_sha256 rl_sha256_t;

/* NULL, with err set, when libcrypto cannot be loaded. */
rl_sha256_t *rl_sha256_new(rl_error_t *err);
void rl_sha256_update(rl_sha256_t *h, const void *data, size_t len);
/* Finish into out ("sha256:<hex>", RL_DIGEST_LEN + 1 bytes) and free h. */
void rl_sha256_final(rl_sha256_t *h, char out[RL_DIGEST_LEN + 1]);
void rl_sha256_free(rl_sha256_t *h);
int rl_sha256_data(const void *data, size_t len, char out[RL_DIGEST_LEN + 1], rl_error_t *err);

/* "sha256:<64 lowercase hex>"; other algorithms are refused by name. */
int rl_digest_validate(const char *digest, rl_error_t *err);
bool rl_hex64_p(const char *s);
/* The hex part of a valid digest. */
static inline const char *rl_digest_hex(const char *digest)
{
    return digest + 7;
}

#endif
