/* SPDX-License-Identifier: Apache-2.0 */
#include "trampoline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pkg/util/xalloc.h"

/* generated from trampoline/main.c by the Makefile */
static const unsigned char trampoline[] = {
#include "trampoline_bin.h"
};

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

static int make_memfd(void)
{
    /* MFD_EXEC: kernels >= 6.3 may default memfds to non-executable */
    int fd = memfd_create("rl-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = memfd_create("rl-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    return fd;
}

int rl_trampoline_open(rl_error_t *err)
{
    int fd = make_memfd();
    if (fd < 0) return rl_error_set(err, errno, "exec trampoline: memfd_create");
    const int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    /* Execute-only, even for its owner: a process without CAP_DAC_OVERRIDE
     * cannot read it, so the kernel makes the trampoline non-dumpable. */
    if (write(fd, trampoline, sizeof trampoline) != (ssize_t)sizeof trampoline ||
        fchmod(fd, 0111) < 0 ||
        (fcntl(fd, F_ADD_SEALS, seals | F_SEAL_EXEC) < 0 && fcntl(fd, F_ADD_SEALS, seals) < 0)) {
        int e = errno;
        close(fd);
        return rl_error_set(err, e, "exec trampoline: prepare the memfd");
    }
    return fd;
}

int rl_trampoline_exec(int tfd, int errfd, const char *exe, char *const *argv, char *const *env)
{
    size_t n = rl_strv_len(argv);
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", errfd);
    char **targv = xcalloc(n + 3, sizeof *targv);
    targv[0] = fdarg;
    targv[1] = (char *)exe;
    memcpy(targv + 2, argv, n * sizeof *argv);
    syscall(SYS_execveat, tfd, "", targv, env, AT_EMPTY_PATH);
    int e = errno;
    free(targv);
    errno = e;
    return -1;
}
