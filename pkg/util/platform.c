/* SPDX-License-Identifier: Apache-2.0 */
#include "platform.h"

#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "xalloc.h"

const char *rl_go_arch(void)
{
    struct utsname u;
    uname(&u);
    if (!strcmp(u.machine, "x86_64")) return "amd64";
    if (!strcmp(u.machine, "aarch64")) return "arm64";
    if (!strncmp(u.machine, "arm", 3)) return "arm";
    if (!strcmp(u.machine, "i686") || !strcmp(u.machine, "i386")) return "386";
    if (!strcmp(u.machine, "ppc64le")) return "ppc64le";
    if (!strcmp(u.machine, "s390x")) return "s390x";
    if (!strcmp(u.machine, "riscv64")) return "riscv64";
    return "unknown";
}

char *rl_now_rfc3339(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[64];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}
