/* SPDX-License-Identifier: Apache-2.0 */
#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xalloc.h"

#define MSG_MAX 4096

/* What a child sends back: r and the length of what follows, then on
 * failure its error packed (rl_error_pack). The parent reads exactly that,
 * never waits for EOF: a job may leave a process behind that holds the pipe
 * (a container's monitor). */
typedef struct wire {
    int32_t r, len;
} wire_t;

static __attribute__((noreturn)) void child(size_t i, rl_parallel_fn fn, void *ctx, int out)
{
    rl_error_t err = RL_ERROR_INIT;
    wire_t w = {.r = fn(i, ctx, &err)};
    fflush(NULL);
    char buf[sizeof w + MSG_MAX];
    if (w.r < 0) w.len = (int32_t)rl_error_pack(&err, buf + sizeof w, MSG_MAX);
    memcpy(buf, &w, sizeof w);
    ssize_t n = write(out, buf, sizeof w + (size_t)w.len);
    _exit(n < 0 ? 1 : 0);
}

static size_t read_full(int fd, void *buf, size_t want)
{
    size_t got = 0;
    ssize_t n;
    while (got < want &&
           ((n = read(fd, (char *)buf + got, want - got)) > 0 || (n < 0 && errno == EINTR)))
        if (n > 0) got += (size_t)n;
    return got;
}

static void collect(int fd, rl_parallel_result_t *res)
{
    wire_t w;
    char msg[MSG_MAX];
    bool whole = read_full(fd, &w, sizeof w) == sizeof w && w.len >= 0 && w.len <= MSG_MAX &&
                 read_full(fd, msg, (size_t)w.len) == (size_t)w.len;
    close(fd);
    if (!whole) {
        res->r = rl_error_set(&res->err, 0, "a worker process died before it reported");
        return;
    }
    res->r = w.r;
    if (w.r < 0) rl_error_unpack(msg, (size_t)w.len, &res->err);
}

/* Wait until a running job's pipe is readable (it reported, or died: EOF),
 * take its result and reap it. Pipes, not waitpid(-1): the caller may have
 * children of its own. */
static void reap_one(pid_t *pids, int *fds, size_t n, rl_parallel_result_t *res)
{
    struct pollfd *pf = xcalloc(n, sizeof *pf);
    size_t *idx = xcalloc(n, sizeof *idx), k = 0;
    for (size_t i = 0; i < n; i++)
        if (pids[i] > 0) pf[k] = (struct pollfd){.fd = fds[i], .events = POLLIN}, idx[k++] = i;
    while (poll(pf, k, -1) < 0 && errno == EINTR) {
    }
    for (size_t j = 0; j < k; j++) {
        if (!pf[j].revents) continue;
        size_t i = idx[j];
        collect(fds[i], &res[i]);
        while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {
        }
        pids[i] = 0;
        break;
    }
    free(pf), free(idx);
}

void rl_parallel_run(size_t n, size_t max, rl_parallel_fn fn, void *ctx, rl_parallel_result_t *res)
{
    pid_t *pids = xcalloc(n ? n : 1, sizeof *pids);
    int *fds = xcalloc(n ? n : 1, sizeof *fds);
    size_t running = 0;
    if (max == 0) max = 1;
    fflush(NULL); /* nothing buffered is written twice */
    for (size_t i = 0; i < n; i++) {
        res[i] = (rl_parallel_result_t){.err = RL_ERROR_INIT};
        if (running >= max) reap_one(pids, fds, n, res), running--;
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0) {
            res[i].r = rl_error_set(&res[i].err, errno, "pipe");
            continue;
        }
        pids[i] = fork();
        if (pids[i] == 0) close(p[0]), child(i, fn, ctx, p[1]);
        close(p[1]);
        if (pids[i] < 0) {
            pids[i] = 0, close(p[0]);
            res[i].r = rl_error_set(&res[i].err, errno, "fork a worker");
            continue;
        }
        fds[i] = p[0], running++;
    }
    while (running)
        reap_one(pids, fds, n, res), running--;
    free(pids), free(fds);
}
