/* SPDX-License-Identifier: Apache-2.0 */
/* sysc: make one system call with harmless arguments and print how it
 * failed ("EPERM", "EINVAL", "ok"): tells a seccomp filter's verdict from
 * the kernel's inside a test container. Static, so any rootfs can run it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sysc io_pgetevents|swapoff\n");
        return 2;
    }
    long r = -1;
    if (!strcmp(argv[1], "io_pgetevents"))
        r = syscall(SYS_io_pgetevents, 0, 0, 0, NULL, NULL, NULL);
    else if (!strcmp(argv[1], "swapoff"))
        r = syscall(SYS_swapoff, "/nonexistent");
    else
        return 2;
    printf("%s\n", r == 0            ? "ok"
                   : errno == EPERM  ? "EPERM"
                   : errno == EINVAL ? "EINVAL"
                   : errno == ENOSYS ? "ENOSYS"
                   : errno == ENOENT ? "ENOENT"
                                     : strerror(errno));
    return 0;
}
