/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's one event loop: the container's exit (pidfd), its output
 * (pipes, or the pty master) to the log, to attached clients and, in the
 * foreground, to our own stdout/stderr; input from clients to the
 * container; signals (foreground) forwarded. */
#ifndef RL_MONITOR_LOOP_H
#define RL_MONITOR_LOOP_H

#include <stdbool.h>
#include <sys/types.h>

#include "log.h"
#include "pkg/util/error.h"

#define RL_MON_MAX_CLIENTS 16

struct rl_ev;

typedef struct rl_mon_loop {
    struct rl_ev *ev; /* the sources watched (pkg/util/evloop.h) */
    int listen;       /* attach socket, -1 none */
    int clients[RL_MON_MAX_CLIENTS];
    int sigfd;                /* foreground with sig-proxy: signals to forward, else -1 */
    int local_out, local_err; /* foreground: our stdout/stderr, else -1 */
    bool armed;               /* listen and sigfd watched */
    bool exited;              /* the container's pidfd said so */
    bool log_on;
    rl_mon_log_t log;
    /* per run of the container (rl_mon_loop_attach_run) */
    pid_t pid;
    int pidfd;
    int out, err; /* its stdout/stderr pipes; out is the master with a terminal */
    int in;       /* its stdin: the pipe's write end, or the master; -1 none */
    bool tty;
    struct rl_net_slirp *slirp; /* the container's network, or NULL; the loop owns it */
    struct rl_net_portfwd *fwd; /* its published ports, or NULL (owned by the caller) */
} rl_mon_loop_t;

void rl_mon_loop_init(rl_mon_loop_t *l);
/* Take a connected client (e.g. one end of a socketpair). */
void rl_mon_loop_add_client(rl_mon_loop_t *l, int fd);
/* Watch a started container (pid, fds as in the struct; the loop owns them). */
int rl_mon_loop_attach_run(rl_mon_loop_t *l);
/* Forward fwd's published ports to the running container (l->pid). */
int rl_mon_loop_forward(rl_mon_loop_t *l, struct rl_net_portfwd *fwd, rl_error_t *err);
/* Until the container exits; returns its code (128+N for signal N). */
int rl_mon_loop_wait(rl_mon_loop_t *l);
/* Close what watched the container (after it was waited for elsewhere). */
void rl_mon_loop_wait_done(rl_mon_loop_t *l);
/* ms of serving clients without a container (restart back-off). */
void rl_mon_loop_idle(rl_mon_loop_t *l, int ms);
/* Tell every client the exit code, then let them go. */
void rl_mon_loop_say_exit(rl_mon_loop_t *l, int code);
void rl_mon_loop_close(rl_mon_loop_t *l);

#endif
