/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer: a layer written to disk (storage/extract.c, storage/diskwrite.c)
 * from any byte stream. Whatever the entries, nothing lands outside the
 * layer's directory: a sibling directory stays empty and the parent holds
 * just the two. */
#include <dirent.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/util/fs.h"
#include "storage/extract.h"

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) abort();
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char top[] = "/tmp/rl-fuzz-extract-XXXXXX";
    if (!mkdtemp(top)) abort();
    char layer[64], outside[64];
    snprintf(layer, sizeof layer, "%s/layer", top);
    snprintf(outside, sizeof outside, "%s/outside", top);
    if (mkdir(layer, 0755) < 0 || mkdir(outside, 0755) < 0) abort();
    int fd = memfd_create("layer", MFD_CLOEXEC);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) abort();
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) abort();
    rl_extract_opts_t o = {.in_fd = fd, .dest = layer, .limit = 1 << 24};
    rl_extract_result_t res;
    rl_error_t err = RL_ERROR_INIT;
    rl_extract_layer(&o, &res, &err);
    rl_error_clear(&err);
    close(fd);
    if (entries(top) != 2 || entries(outside) != 0) abort();
    /* the corpus's escapes (tests/images/hostile.py) aim there */
    glob_t g;
    if (glob("/tmp/rl-hostile-escape*", 0, NULL, &g) == 0) abort();
    globfree(&g);
    if (chdir(cwd) < 0) abort();
    if (rl_fs_rm_rf(top, &err) < 0) abort();
    return 0;
}
