/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming decompression with digests (see decompress.h). */
#include "decompress.h"

#include <errno.h>
#include <isa-l/igzip_lib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "pkg/util/dl.h"
#include "pkg/util/xalloc.h"

#define IN_SIZE (256 * 1024)

/* The inflaters are needed only while layers are unpacked: opened then
 * (pkg/util/dl.h), not at every rl start. */
// clang-format off
#define ISAL_SYMS(X) X(isal_inflate) X(isal_inflate_init)
#define ZLIB_SYMS(X) X(inflate) X(inflateEnd) X(inflateReset) X(inflateInit2_)
#define ZSTD_SYMS(X)                                                           \
    X(ZSTD_createDStream) X(ZSTD_freeDStream) X(ZSTD_initDStream)              \
    X(ZSTD_decompressStream) X(ZSTD_isError) X(ZSTD_getErrorName)
// clang-format on
RL_DL_TABLE(libisal, ISAL_SYMS, "libisal.so.2", "libisal2")
RL_DL_TABLE(libz, ZLIB_SYMS, "libz.so.1", "zlib1g")
RL_DL_TABLE(libzstd, ZSTD_SYMS, "libzstd.so.1", "libzstd1")
#define isal_inflate          libisal.isal_inflate
#define isal_inflate_init     libisal.isal_inflate_init
#define inflate               libz.inflate
#define inflateEnd            libz.inflateEnd
#define inflateReset          libz.inflateReset
#define inflateInit2_         libz.inflateInit2_
#define ZSTD_createDStream    libzstd.ZSTD_createDStream
#define ZSTD_freeDStream      libzstd.ZSTD_freeDStream
#define ZSTD_initDStream      libzstd.ZSTD_initDStream
#define ZSTD_decompressStream libzstd.ZSTD_decompressStream
#define ZSTD_isError          libzstd.ZSTD_isError
#define ZSTD_getErrorName     libzstd.ZSTD_getErrorName

struct rl_decomp {
    int fd;
    uint64_t limit, in_bytes, out_bytes;
    rl_comp_t kind;
    bool sniffed, in_eof, done;
    bool use_zlib;
    unsigned char *in;
    size_t in_pos, in_len;
    rl_sha256_t *in_hash, *out_hash;
    struct inflate_state isal;
    z_stream z;
    ZSTD_DStream *zstd;
    size_t zstd_rc;
};

rl_decomp_t *rl_decomp_new(int fd, uint64_t limit, rl_error_t *err)
{
    rl_sha256_t *in_hash = rl_sha256_new(err);
    if (!in_hash) return NULL;
    rl_decomp_t *d = xcalloc(1, sizeof *d);
    d->fd = fd;
    d->limit = limit;
    d->in = xmalloc(IN_SIZE);
    d->in_hash = in_hash;
    d->out_hash = rl_sha256_new(err);
    const char *env = getenv("RL_INFLATE");
    d->use_zlib = env && !strcmp(env, "zlib");
    return d;
}

void rl_decomp_free(rl_decomp_t *d)
{
    if (!d) return;
    if (d->kind == RL_COMP_GZIP && d->use_zlib) inflateEnd(&d->z);
    if (d->zstd) ZSTD_freeDStream(d->zstd);
    rl_sha256_free(d->in_hash);
    rl_sha256_free(d->out_hash);
    free(d->in);
    free(d);
}

/* Refill the input buffer when it is used up; 0 at end of input. */
static int fill(rl_decomp_t *d, rl_error_t *err)
{
    if (d->in_pos < d->in_len) return 1;
    if (d->in_eof) return 0;
    ssize_t n;
    while ((n = read(d->fd, d->in, IN_SIZE)) < 0 && errno == EINTR) {
    }
    if (n < 0) return rl_error_set(err, errno, "read layer");
    if (n == 0) {
        d->in_eof = true;
        return 0;
    }
    rl_sha256_update(d->in_hash, d->in, (size_t)n);
    d->in_bytes += (uint64_t)n;
    d->in_pos = 0;
    d->in_len = (size_t)n;
    return 1;
}

static void start_gzip_member(rl_decomp_t *d)
{
    if (d->use_zlib) {
        inflateReset(&d->z);
        return;
    }
    isal_inflate_init(&d->isal);
    d->isal.crc_flag = ISAL_GZIP;
}

static int sniff(rl_decomp_t *d, rl_error_t *err)
{
    d->sniffed = true;
    /* Magic numbers need 4 bytes; a shorter blob is an (invalid) plain tar. */
    while (d->in_len - d->in_pos < 4 && !d->in_eof) {
        size_t have = d->in_len - d->in_pos;
        memmove(d->in, d->in + d->in_pos, have);
        ssize_t n = read(d->fd, d->in + have, IN_SIZE - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return rl_error_set(err, errno, "read layer");
        if (n == 0) d->in_eof = true;
        rl_sha256_update(d->in_hash, d->in + have, (size_t)n);
        d->in_bytes += (uint64_t)n;
        d->in_pos = 0, d->in_len = have + (size_t)n;
    }
    const unsigned char *p = d->in + d->in_pos;
    size_t have = d->in_len - d->in_pos;
    if (have >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        d->kind = RL_COMP_GZIP;
        if ((d->use_zlib ? libz_load(err) : libisal_load(err)) < 0) return -1;
        if (d->use_zlib && inflateInit2(&d->z, 16 + MAX_WBITS) != Z_OK) abort();
        start_gzip_member(d);
    } else if (have >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4)) {
        d->kind = RL_COMP_ZSTD;
        if (libzstd_load(err) < 0) return -1;
        d->zstd = ZSTD_createDStream();
        if (!d->zstd) abort();
        ZSTD_initDStream(d->zstd);
        d->zstd_rc = 1; /* no frame decoded yet */
    }
    return 0;
}

static ssize_t read_plain(rl_decomp_t *d, unsigned char *buf, size_t len, rl_error_t *err)
{
    int r = fill(d, err);
    if (r <= 0) return r;
    size_t n = d->in_len - d->in_pos < len ? d->in_len - d->in_pos : len;
    memcpy(buf, d->in + d->in_pos, n);
    d->in_pos += n;
    return (ssize_t)n;
}

/* Only whitespace-free zero padding may follow the last gzip member. */
static bool gzip_next_member(rl_decomp_t *d)
{
    return d->in_pos < d->in_len && d->in[d->in_pos] == 0x1f;
}

static ssize_t read_isal(rl_decomp_t *d, unsigned char *buf, size_t len, rl_error_t *err)
{
    for (;;) {
        if (d->isal.block_state == ISAL_BLOCK_FINISH) {
            int r = fill(d, err);
            if (r < 0) return -1;
            if (r == 0 || !gzip_next_member(d)) return d->done = true, 0;
            start_gzip_member(d);
        }
        int r = fill(d, err);
        if (r < 0) return -1;
        /* At the end of input, inflate once more: it may still hold output. */
        d->isal.next_in = d->in + d->in_pos;
        d->isal.avail_in = (uint32_t)(d->in_len - d->in_pos);
        d->isal.next_out = buf;
        d->isal.avail_out = (uint32_t)len;
        int rc = isal_inflate(&d->isal);
        d->in_pos = d->in_len - d->isal.avail_in;
        if (rc != ISAL_DECOMP_OK)
            return rl_error_set(err, 0, "layer: corrupt gzip stream (isa-l error %d)", rc);
        size_t n = len - d->isal.avail_out;
        if (n > 0) return (ssize_t)n;
        if (r == 0 && d->isal.block_state != ISAL_BLOCK_FINISH)
            return rl_error_set(err, 0, "layer: truncated gzip stream");
    }
}

/* At the end of the input an inflater may still hold output (a long match
 * it had no room for): it is asked once more with nothing in, and only when
 * that gives nothing is the stream judged complete or truncated. */
static ssize_t read_zlib(rl_decomp_t *d, unsigned char *buf, size_t len, rl_error_t *err)
{
    for (;;) {
        int r = fill(d, err);
        if (r < 0) return -1;
        d->z.next_in = d->in + d->in_pos;
        d->z.avail_in = (uInt)(d->in_len - d->in_pos);
        d->z.next_out = buf;
        d->z.avail_out = (uInt)len;
        int rc = inflate(&d->z, Z_NO_FLUSH);
        d->in_pos = d->in_len - d->z.avail_in;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return rl_error_set(err, 0, "layer: corrupt gzip stream (%s)",
                                d->z.msg ? d->z.msg : "zlib error");
        size_t n = len - d->z.avail_out;
        if (rc == Z_STREAM_END) {
            int more = fill(d, err);
            if (more < 0) return -1;
            if (more == 0 || !gzip_next_member(d))
                d->done = true;
            else
                start_gzip_member(d);
            if (n == 0 && d->done) return 0;
        }
        if (n > 0) return (ssize_t)n;
        if (r == 0) return rl_error_set(err, 0, "layer: truncated gzip stream");
    }
}

/* zstd_rc: ZSTD_decompressStream's last answer, 0 once a frame is decoded
 * and flushed: the only place the input may end. */
static ssize_t read_zstd(rl_decomp_t *d, unsigned char *buf, size_t len, rl_error_t *err)
{
    for (;;) {
        int r = fill(d, err);
        if (r < 0) return -1;
        if (r == 0 && d->zstd_rc == 0) return d->done = true, 0;
        ZSTD_inBuffer in = {d->in, d->in_len, d->in_pos};
        ZSTD_outBuffer out = {buf, len, 0};
        size_t rc = ZSTD_decompressStream(d->zstd, &out, &in);
        d->in_pos = in.pos;
        if (ZSTD_isError(rc))
            return rl_error_set(err, 0, "layer: corrupt zstd stream (%s)", ZSTD_getErrorName(rc));
        d->zstd_rc = rc;
        if (out.pos > 0) return (ssize_t)out.pos;
        if (r == 0) return rl_error_set(err, 0, "layer: truncated zstd stream");
    }
}

ssize_t rl_decomp_read(rl_decomp_t *d, void *buf, size_t len, rl_error_t *err)
{
    if (!d->sniffed && sniff(d, err) < 0) return -1;
    if (d->done || len == 0) return 0;
    ssize_t n;
    switch (d->kind) {
    case RL_COMP_GZIP:
        n = d->use_zlib ? read_zlib(d, buf, len, err) : read_isal(d, buf, len, err);
        break;
    case RL_COMP_ZSTD:
        n = read_zstd(d, buf, len, err);
        break;
    default:
        n = read_plain(d, buf, len, err);
    }
    if (n <= 0) return n;
    d->out_bytes += (uint64_t)n;
    if (d->out_bytes > d->limit)
        return rl_error_set(err, 0,
                            "layer is larger than the limit of %llu bytes uncompressed "
                            "(set RL_LAYER_SIZE_LIMIT to allow more)",
                            (unsigned long long)d->limit);
    rl_sha256_update(d->out_hash, buf, (size_t)n);
    return n;
}

int rl_decomp_finish(rl_decomp_t *d, char blob[RL_DIGEST_LEN + 1], char diff[RL_DIGEST_LEN + 1],
                     rl_error_t *err)
{
    unsigned char buf[64 * 1024];
    ssize_t n;
    while ((n = rl_decomp_read(d, buf, sizeof buf, err)) > 0) {
    }
    if (n < 0) return -1;
    /* Whatever follows the compressed stream still belongs to the blob. */
    while (fill(d, err) > 0)
        d->in_pos = d->in_len;
    if (rl_error_is_set(err)) return -1;
    rl_sha256_final(d->in_hash, blob);
    rl_sha256_final(d->out_hash, diff);
    d->in_hash = d->out_hash = NULL;
    return 0;
}

rl_comp_t rl_decomp_kind(const rl_decomp_t *d)
{
    return d->kind;
}
uint64_t rl_decomp_in_bytes(const rl_decomp_t *d)
{
    return d->in_bytes;
}
uint64_t rl_decomp_out_bytes(const rl_decomp_t *d)
{
    return d->out_bytes;
}
