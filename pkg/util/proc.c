/* SPDX-License-Identifier: Apache-2.0 */
/* Process identity (see proc.h). */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

int rl_proc_stat(pid_t pid, char *state, pid_t *ppid, unsigned long long *start)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    rl_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n <= 0) return -1;
    buf[n] = '\0';
    /* comm may hold spaces and parentheses: fields start after the last ')' */
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    char st;
    int pp;
    unsigned long long t;
    if (sscanf(p + 2,
               "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
               &st, &pp, &t) != 3)
        return -1;
    if (state) *state = st;
    if (ppid) *ppid = (pid_t)pp;
    if (start) *start = t;
    return 0;
}

void rl_proc_boot_id(char out[40])
{
    static char cached[40];
    if (!cached[0]) {
        rl_autoclose int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, cached, sizeof cached - 1) : 0;
        cached[n > 0 ? n : 0] = '\0';
        cached[strcspn(cached, "\n")] = '\0';
    }
    memcpy(out, cached, sizeof cached);
}

int rl_proc_id_of(pid_t pid, rl_proc_id_t *id)
{
    id->pid = pid;
    rl_proc_boot_id(id->boot);
    return rl_proc_stat(pid, NULL, NULL, &id->start);
}

bool rl_proc_same(const rl_proc_id_t *id)
{
    unsigned long long t;
    char s, boot[40];
    if (id->pid <= 0 || rl_proc_stat(id->pid, &s, NULL, &t) < 0 || t != id->start) return false;
    rl_proc_boot_id(boot);
    if (id->boot[0] && strcmp(boot, id->boot)) return false;
    return s != 'Z' && s != 'X';
}

bool rl_proc_wait_gone(const rl_proc_id_t *id, int ms)
{
    int pfd = (int)syscall(SYS_pidfd_open, id->pid, 0);
    if (pfd < 0) return true; /* no such pid */
    bool gone = !rl_proc_same(id);
    struct pollfd p = {pfd, POLLIN, 0};
    /* readable once it has exited (a zombie too) */
    int r = 1;
    while (!gone && (r = poll(&p, 1, ms)) < 0 && errno == EINTR) {
    }
    close(pfd);
    return gone || r > 0 || !rl_proc_same(id);
}
