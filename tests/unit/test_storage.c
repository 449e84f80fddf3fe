/* SPDX-License-Identifier: Apache-2.0 */
/* storage/: decompression with digests, entry path checks, chain ids, the
 * image database's lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "pkg/util/digest.h"
#include "pkg/util/xalloc.h"
#include "storage/decompress.h"
#include "storage/extract.h"
#include "storage/images.h"
#include "storage/layers.h"
#include "storage/readahead.h"
#include "unit.h"

/* Errors of the set-up calls (a library that cannot load): fails the test. */
static rl_error_t terr;

static int memfd_with(const void *data, size_t len)
{
    int fd = memfd_create("t", MFD_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static size_t gzip_into(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)in, z.avail_in = (uInt)n, z.next_out = out,
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

/* Read it all back; the diff digest must be the plain text's. */
static void roundtrip(const void *blob, size_t len, const char *plain, const char *inflate)
{
    setenv("RL_INFLATE", inflate, 1);
    int fd = memfd_with(blob, len);
    rl_decomp_t *d = rl_decomp_new(fd, 1 << 20, &terr);
    rl_error_t err = RL_ERROR_INIT;
    char buf[4096], b[RL_DIGEST_LEN + 1], df[RL_DIGEST_LEN + 1], want[RL_DIGEST_LEN + 1],
        wantb[RL_DIGEST_LEN + 1];
    ssize_t n, got = 0;
    while ((n = rl_decomp_read(d, buf + got, sizeof buf - (size_t)got, &err)) > 0)
        got += n;
    assert_int_equal(n, 0);
    assert_int_equal(got, strlen(plain));
    assert_memory_equal(buf, plain, got);
    assert_int_equal(rl_decomp_finish(d, b, df, &err), 0);
    rl_sha256_data(plain, strlen(plain), want, &terr);
    rl_sha256_data(blob, len, wantb, &terr);
    assert_string_equal(df, want);
    assert_string_equal(b, wantb);
    rl_decomp_free(d);
    close(fd);
    unsetenv("RL_INFLATE");
}

static void decompression(void **state)
{
    (void)state;
    const char *text = "hello layers, hello tar\n";
    unsigned char gz[512], zs[512], two[1024];
    size_t g = gzip_into(text, strlen(text), gz, sizeof gz);
    roundtrip(gz, g, text, "isal");
    roundtrip(gz, g, text, "zlib");
    size_t z = ZSTD_compress(zs, sizeof zs, text, strlen(text), 3);
    roundtrip(zs, z, text, "");
    roundtrip(text, strlen(text), text, "");
    /* two gzip members, as pigz and some registries write them */
    size_t a = gzip_into("hello ", 6, two, sizeof two);
    size_t b = gzip_into("world\n", 6, two + a, sizeof two - a);
    roundtrip(two, a + b, "hello world\n", "isal");
    roundtrip(two, a + b, "hello world\n", "zlib");
    /* truncated and corrupt streams fail with a message */
    const char *modes[] = {"isal", "zlib"};
    for (int m = 0; m < 2; m++) {
        setenv("RL_INFLATE", modes[m], 1);
        rl_error_t err = RL_ERROR_INIT;
        char buf[64], d1[RL_DIGEST_LEN + 1], d2[RL_DIGEST_LEN + 1];
        int fd = memfd_with(gz, g - 6);
        rl_decomp_t *d = rl_decomp_new(fd, 1 << 20, &terr);
        while (rl_decomp_read(d, buf, sizeof buf, &err) > 0) {
        }
        assert_error(rl_error_is_set(&err) ? -1 : rl_decomp_finish(d, d1, d2, &err), &err,
                     "gzip stream");
        rl_decomp_free(d);
        close(fd);
        unsetenv("RL_INFLATE");
    }
    /* highly compressible: the inflaters end their input still holding
     * output, which must all come out, whatever the reader's buffer size;
     * cut short, each says truncated (the fuzzer found zstd's tail lost) */
    size_t bign = 2u << 20;
    char *same = xmalloc(bign);
    for (size_t i = 0; i < bign; i++)
        same[i] = "ab\n"[i % 3];
    unsigned char *packed = xmalloc(bign);
    size_t sizes[3] = {gzip_into(same, bign, packed, bign), 0, 0};
    unsigned char *zpacked = xmalloc(bign);
    sizes[1] = ZSTD_compress(zpacked, bign, same, bign, 19);
    const char *ways[3] = {"isal", "zlib", ""};
    for (int w = 0; w < 3; w++) {
        unsigned char *src = w < 2 ? packed : zpacked;
        size_t sl = w < 2 ? sizes[0] : sizes[1];
        for (size_t cut = 0; cut < 2; cut++) {
            setenv("RL_INFLATE", ways[w], 1);
            int fd = memfd_with(src, sl - cut * 3);
            rl_decomp_t *d = rl_decomp_new(fd, bign, &terr);
            rl_error_t err = RL_ERROR_INIT;
            char small[4096];
            ssize_t n;
            size_t total = 0;
            while ((n = rl_decomp_read(d, small, sizeof small, &err)) > 0)
                total += (size_t)n;
            if (cut) {
                assert_error(n, &err, "truncated");
            } else {
                assert_int_equal(n, 0);
                assert_int_equal(total, bign);
            }
            rl_decomp_free(d);
            close(fd);
            unsetenv("RL_INFLATE");
        }
    }
    free(same), free(packed), free(zpacked);
    /* a bomb: more out than the limit */
    char *zeros = xcalloc(1 << 20, 1);
    unsigned char *big = xmalloc(1 << 16);
    size_t bl = gzip_into(zeros, 1 << 20, big, 1 << 16);
    int fd = memfd_with(big, bl);
    rl_decomp_t *d = rl_decomp_new(fd, 1000, &terr);
    rl_error_t err = RL_ERROR_INIT;
    char buf[4096];
    ssize_t n;
    while ((n = rl_decomp_read(d, buf, sizeof buf, &err)) > 0) {
    }
    assert_error(n, &err, "larger than the limit of 1000 bytes");
    rl_decomp_free(d);
    close(fd);
    free(zeros), free(big);
}

/* A stream of many chunks through the readahead thread: every byte in
 * order, the digests rl_decomp_finish gives; a corrupt stream's error after
 * the chunks before it; a reader that stops early, or never reads. */
static size_t gzip_pseudo(size_t n, char **plain, unsigned char **gz)
{
    *plain = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        (*plain)[i] = (char)('a' + (i * 7919 + i / 13) % 26);
    *gz = xmalloc(n + 4096);
    return gzip_into(*plain, n, *gz, n + 4096);
}

static void readahead(void **state)
{
    (void)state;
    size_t n = 3u << 20; /* 12 slots' worth */
    char *plain, *back = xmalloc(n);
    unsigned char *gz;
    size_t g = gzip_pseudo(n, &plain, &gz);
    int fd = memfd_with(gz, g);
    rl_error_t err = RL_ERROR_INIT;
    rl_decomp_t *d = rl_decomp_new(fd, n, &terr);
    rl_readahead_t *r = rl_readahead_start(d, &err);
    assert_non_null(r);
    const void *buf;
    ssize_t k;
    size_t got = 0;
    while ((k = rl_readahead_next(r, &buf, &err)) > 0) {
        assert_true(got + (size_t)k <= n);
        memcpy(back + got, buf, (size_t)k);
        got += (size_t)k;
    }
    assert_int_equal(k, 0);
    assert_int_equal(got, n);
    assert_memory_equal(back, plain, n);
    char b[RL_DIGEST_LEN + 1], df[RL_DIGEST_LEN + 1], want[RL_DIGEST_LEN + 1];
    assert_int_equal(rl_readahead_finish(r, b, df, &err), 0);
    rl_sha256_data(plain, n, want, &terr);
    assert_string_equal(df, want);
    rl_sha256_data(gz, g, want, &terr);
    assert_string_equal(b, want);
    assert_int_equal(rl_decomp_out_bytes(d), n);
    rl_readahead_stop(r);
    rl_decomp_free(d);
    close(fd);

    /* cut in the middle: the good chunks first, then the error, each time */
    fd = memfd_with(gz, g / 2);
    d = rl_decomp_new(fd, n, &terr);
    r = rl_readahead_start(d, &err);
    while ((k = rl_readahead_next(r, &buf, &err)) > 0) {
    }
    assert_true(rl_decomp_out_bytes(d) > 0);
    assert_error(k, &err, "truncated gzip stream");
    assert_error(rl_readahead_next(r, &buf, &err), &err, "truncated gzip stream");
    assert_error(rl_readahead_finish(r, b, df, &err), &err, "truncated gzip stream");
    rl_readahead_stop(r);
    rl_decomp_free(d);
    close(fd);

    /* a reader that stops after one chunk, and one that never reads */
    for (int reads = 1; reads >= 0; reads--) {
        fd = memfd_with(gz, g);
        d = rl_decomp_new(fd, n, &terr);
        r = rl_readahead_start(d, &err);
        if (reads) assert_true(rl_readahead_next(r, &buf, &err) > 0);
        rl_readahead_stop(r);
        rl_decomp_free(d);
        close(fd);
    }

    /* the limit: the error comes through the reader */
    fd = memfd_with(gz, g);
    d = rl_decomp_new(fd, 1u << 20, &terr);
    r = rl_readahead_start(d, &err);
    while ((k = rl_readahead_next(r, &buf, &err)) > 0) {
    }
    assert_error(k, &err, "larger than the limit");
    rl_readahead_stop(r);
    rl_decomp_free(d);
    close(fd);
    free(plain), free(back), free(gz);
}

static void entry_paths(void **state)
{
    (void)state;
    rl_error_t err = RL_ERROR_INIT;
    char out[64];
    assert_int_equal(rl_extract_clean_path("./a/b/", out, sizeof out, &err), 0);
    assert_string_equal(out, "a/b");
    assert_int_equal(rl_extract_clean_path("././/a..b/..c", out, sizeof out, &err), 0);
    assert_string_equal(out, "a..b/..c");
    assert_int_equal(rl_extract_clean_path("./", out, sizeof out, &err), 0);
    assert_string_equal(out, "");
    assert_error(rl_extract_clean_path("/etc/passwd", out, sizeof out, &err), &err,
                 "absolute path refused");
    assert_error(rl_extract_clean_path("a/../../b", out, sizeof out, &err), &err,
                 "'..' in path refused");
    assert_error(rl_extract_clean_path("..", out, sizeof out, &err), &err, "'..' in path refused");
    assert_error(rl_extract_clean_path("a//..//b", out, sizeof out, &err), &err,
                 "'..' in path refused");
    char longp[200];
    memset(longp, 'a', 199);
    longp[199] = 0;
    assert_error(rl_extract_clean_path(longp, out, sizeof out, &err), &err, "path too long");
}

static void chain_ids(void **state)
{
    (void)state;
    const char *d1 = "sha256:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    const char *d2 = "sha256:b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    char c1[65], c2[65], want[RL_DIGEST_LEN + 1];
    rl_layer_chain_id(NULL, d1, c1, &terr);
    assert_string_equal(c1, d1 + 7);
    rl_layer_chain_id(c1, d2, c2, &terr);
    /* OCI: ChainID(L1|L2) = sha256(ChainID(L1) + " " + DiffID(L2)) */
    char buf[200];
    snprintf(buf, sizeof buf, "%s %s", d1, d2);
    rl_sha256_data(buf, strlen(buf), want, &terr);
    assert_string_equal(c2, want + 7);
}

static rl_store_image_t img(const char *id, const char *n1, const char *n2, const char *digest)
{
    rl_store_image_t i = {.id = xstrdup(id)};
    if (n1) rl_strv_push(&i.names, xstrdup(n1));
    if (n2) rl_strv_push(&i.names, xstrdup(n2));
    if (!i.names) i.names = xcalloc(1, sizeof(char *));
    i.digests = xcalloc(1, sizeof(char *));
    if (digest) rl_strv_push(&i.digests, xstrdup(digest));
    i.layers = xcalloc(1, sizeof(char *));
    return i;
}

static void image_lookup(void **state)
{
    (void)state;
    const char *dg = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    rl_store_image_db_t db = {.n = 3};
    db.v = xcalloc(3, sizeof *db.v);
    db.v[0] = img("aaaa1111", "docker.io/library/busybox:latest", NULL, dg);
    db.v[1] = img("aaaa2222", "localhost/busybox:latest", "quay.io/x/busybox:1", NULL);
    db.v[2] = img("bbbb3333", "example.com/team/app:v1", NULL, NULL);
    rl_error_t err = RL_ERROR_INIT;
    assert_int_equal(rl_store_image_db_find(&db, "busybox", &err), 1); /* localhost first */
    assert_int_equal(rl_store_image_db_find(&db, "docker.io/busybox", &err), 0);
    assert_int_equal(rl_store_image_db_find(&db, "x/busybox:1", &err), 1);
    assert_int_equal(rl_store_image_db_find(&db, "bbbb", &err), 2);
    assert_int_equal(rl_store_image_db_find(&db, "sha256:bbbb3333", &err), 2);
    assert_int_equal(rl_store_image_db_find(&db, "app:v1", &err), 2);
    assert_int_equal(
        rl_store_image_db_find(
            &db,
            "docker.io/library/"
            "busybox@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
            &err),
        0);
    assert_error(rl_store_image_db_find(&db, "aaaa", &err), &err, "matches more than one image");
    assert_error(rl_store_image_db_find(&db, "app:v2", &err), &err, "app:v2: image not known");
    assert_error(rl_store_image_db_find(&db, "Bad", &err), &err, "invalid reference");
    /* a name moves to the image it is given to */
    rl_store_image_db_add_name(&db, 2, "localhost/busybox:latest");
    assert_int_equal(rl_store_image_db_find(&db, "busybox", &err), 2);
    assert_int_equal(rl_strv_len(db.v[1].names), 1);
    rl_store_image_db_free(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decompression), cmocka_unit_test(readahead),
        cmocka_unit_test(entry_paths),   cmocka_unit_test(chain_ids),
        cmocka_unit_test(image_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
