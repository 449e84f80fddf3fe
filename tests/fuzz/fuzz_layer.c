/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: a layer's byte stream through sniffing and decompression
 * (ISA-L inflate, zstd) with digests, read directly and through the
 * readahead thread (the two must agree), and tar entry path checks. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "storage/decompress.h"
#include "storage/extract.h"
#include "storage/readahead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("layer", MFD_CLOEXEC);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) abort();
    rl_error_t err = RL_ERROR_INIT;
    rl_decomp_t *d = rl_decomp_new(fd, 1 << 24, &err);
    if (!d) abort();
    char blob[RL_DIGEST_LEN + 1], diff[RL_DIGEST_LEN + 1];
    int direct = rl_decomp_finish(d, blob, diff, &err);
    uint64_t produced = rl_decomp_out_bytes(d);
    rl_error_clear(&err);
    rl_decomp_free(d);
    /* the same bytes through the readahead thread */
    if (lseek(fd, 0, SEEK_SET) != 0) abort();
    d = rl_decomp_new(fd, 1 << 24, &err);
    if (!d) abort();
    rl_readahead_t *r = rl_readahead_start(d, &err);
    if (!r) abort();
    const void *buf;
    ssize_t n;
    uint64_t got = 0;
    while ((n = rl_readahead_next(r, &buf, &err)) > 0)
        got += (uint64_t)n;
    char blob2[RL_DIGEST_LEN + 1], diff2[RL_DIGEST_LEN + 1];
    int ahead = n < 0 ? -1 : rl_readahead_finish(r, blob2, diff2, &err);
    if ((direct == 0) != (ahead == 0)) abort();
    if (ahead == 0 && (got != produced || strcmp(blob, blob2) || strcmp(diff, diff2))) abort();
    rl_error_clear(&err);
    rl_readahead_stop(r);
    rl_decomp_free(d);
    close(fd);
    /* the path check: nothing it accepts is absolute or climbs */
    char *path = strndup((const char *)data, size), out[PATH_MAX];
    if (rl_extract_clean_path(path, out, sizeof out, &err) == 0) {
        if (out[0] == '/') abort();
        for (char *c = out; (c = strstr(c, "..")); c += 2)
            if ((c == out || c[-1] == '/') && (c[2] == '/' || c[2] == 0)) abort();
    }
    rl_error_clear(&err);
    free(path);
    return 0;
}
