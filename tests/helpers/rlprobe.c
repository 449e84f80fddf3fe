/* SPDX-License-Identifier: Apache-2.0 */
/* rlprobe STOPFILE: the attacker of issue 14, run inside a container.
 * Until STOPFILE exists it watches /proc for a process whose comm is "rl"
 * (rl itself before its execve), stops it, and tries what an attacker would: open its exe (the
 * host's rl binary) and reopen that for writing, read its mem, environ, fd, root and cwd,
 * PTRACE_ATTACH, and send it catchable signals; then lets it go on. Prints "seen N touched M" and
 * one "TOUCHED pid comm what" line for each access that worked. Static, so any rootfs can run it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SEEN 4096

static int seen[MAX_SEEN], n_seen, attacked, touched;

static int read_comm(int pid, char *buf, size_t n)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/comm", pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, n - 1);
    close(fd);
    if (r <= 0) return -1;
    buf[r] = 0;
    buf[strcspn(buf, "\n")] = 0;
    return 0;
}

static int interesting(const char *comm)
{
    return !strcmp(comm, "rl");
}

static void hit(int pid, const char *comm, const char *what)
{
    printf("TOUCHED %d %s %s\n", pid, comm, what);
    touched++;
}

static void try_open(int pid, const char *comm, const char *name, int flags)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/%s", pid, name);
    int fd = open(p, flags | O_CLOEXEC);
    if (fd < 0) return;
    hit(pid, comm, name);
    if (!strcmp(name, "exe")) {
        /* the CVE-2019-5736 step: the kept O_PATH fd reopened for writing */
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
        int w = open(self, O_WRONLY | O_CLOEXEC);
        if (w >= 0 || errno == ETXTBSY) hit(pid, comm, w >= 0 ? "exe-write" : "exe-write-busy");
        if (w >= 0) close(w);
    }
    close(fd);
}

static void try_link(int pid, const char *comm, const char *name)
{
    char p[64], buf[256];
    snprintf(p, sizeof p, "/proc/%d/%s", pid, name);
    if (readlink(p, buf, sizeof buf) >= 0) hit(pid, comm, name);
}

/* 'T' once the stop took; a process inside execve stops only after it. */
static int stopped(int pid)
{
    char p[64], buf[512];
    snprintf(p, sizeof p, "/proc/%d/stat", pid);
    for (int i = 0; i < 2000; i++) {
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return 0;
        ssize_t r = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (r <= 0) return 0;
        buf[r] = 0;
        char *e = strrchr(buf, ')');
        if (e && e[1] == ' ' && (e[2] == 'T' || e[2] == 't')) return 1;
        usleep(50);
    }
    return 0;
}

static void attack(int pid, const char *comm)
{
    char now[64];
    kill(pid, SIGSTOP);
    /* only what is still rl once stopped: the command it became is fair game */
    if (!stopped(pid) || read_comm(pid, now, sizeof now) < 0 || strcmp(now, comm)) {
        kill(pid, SIGCONT);
        return;
    }
    attacked++;
    try_open(pid, comm, "exe", O_PATH);
    try_open(pid, comm, "mem", O_RDONLY);
    try_open(pid, comm, "environ", O_RDONLY);
    try_open(pid, comm, "fd", O_RDONLY | O_DIRECTORY);
    try_link(pid, comm, "root");
    try_link(pid, comm, "cwd");
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
        hit(pid, comm, "ptrace");
        waitpid(pid, NULL, __WALL);
        ptrace(PTRACE_DETACH, pid, 0, 0);
    }
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        kill(pid, sigs[i]);
    kill(pid, SIGCONT);
}

static int known(int pid)
{
    for (int i = 0; i < n_seen; i++)
        if (seen[i] == pid) return 1;
    return 0;
}

static void scan(int self)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        int pid = atoi(de->d_name);
        char comm[64];
        if (pid <= 0 || pid == self || known(pid) || read_comm(pid, comm, sizeof comm) < 0)
            continue;
        if (!interesting(comm)) continue;
        if (n_seen < MAX_SEEN) seen[n_seen++] = pid;
        attack(pid, comm);
    }
    if (d) closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: rlprobe STOPFILE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int self = getpid();
    while (access(argv[1], F_OK) < 0)
        scan(self);
    printf("seen %d touched %d\n", attacked, touched);
    return 0;
}
