/* SPDX-License-Identifier: Apache-2.0 */
/* sha256 through OpenSSL's EVP interface. */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "dl.h"
#include "xalloc.h"

// clang-format off
#define CRYPTO_SYMS(X) \
    X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) X(EVP_DigestUpdate) \
    X(EVP_DigestFinal_ex) X(EVP_sha256)
// clang-format on
RL_DL_TABLE(crypto, CRYPTO_SYMS, "libcrypto.so.3", "libssl3")
#define EVP_MD_CTX_new     crypto.EVP_MD_CTX_new
#define EVP_MD_CTX_free    crypto.EVP_MD_CTX_free
#define EVP_DigestInit_ex  crypto.EVP_DigestInit_ex
#define EVP_DigestUpdate   crypto.EVP_DigestUpdate
#define EVP_DigestFinal_ex crypto.EVP_DigestFinal_ex
#define EVP_sha256         crypto.EVP_sha256

struct rl_sha256 {
    EVP_MD_CTX *ctx;
};

rl_sha256_t *rl_sha256_new(rl_error_t *err)
{
    if (crypto_load(err) < 0) return NULL;
    rl_sha256_t *h = xcalloc(1, sizeof *h);
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) abort();
    return h;
}

void rl_sha256_update(rl_sha256_t *h, const void *data, size_t len)
{
    if (len) EVP_DigestUpdate(h->ctx, data, len);
}

void rl_sha256_final(rl_sha256_t *h, char out[RL_DIGEST_LEN + 1])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    memcpy(out, "sha256:", 7);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
    rl_sha256_free(h);
}

void rl_sha256_free(rl_sha256_t *h)
{
    if (!h) return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int rl_sha256_data(const void *data, size_t len, char out[RL_DIGEST_LEN + 1], rl_error_t *err)
{
    rl_sha256_t *h = rl_sha256_new(err);
    if (!h) return -1;
    rl_sha256_update(h, data, len);
    rl_sha256_final(h, out);
    return 0;
}

bool rl_hex64_p(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return i == RL_DIGEST_HEX;
}

int rl_digest_validate(const char *digest, rl_error_t *err)
{
    const char *colon = strchr(digest, ':');
    if (!colon) return rl_error_set(err, 0, "invalid digest '%s': expected sha256:<hex>", digest);
    if (strncmp(digest, "sha256:", 7))
        return rl_error_set(err, 0, "unsupported digest algorithm '%.*s' (only sha256)",
                            (int)(colon - digest), digest);
    if (!rl_hex64_p(digest + 7))
        return rl_error_set(err, 0, "invalid digest '%s': expected 64 lowercase hex digits",
                            digest);
    return 0;
}
