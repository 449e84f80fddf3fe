/* SPDX-License-Identifier: Apache-2.0 */
/* The last steps of every container process (init and exec alike): limits,
 * executable lookup and fd hygiene before START; user, capabilities,
 * no_new_privs, seccomp and execve after it. */
#ifndef RL_RUNTIME_PROCESS_H
#define RL_RUNTIME_PROCESS_H

#include "pkg/spec/spec.h"
#include "pkg/util/error.h"
#include "seccomp.h"

typedef struct rl_process_ctx {
    const rl_spec_process_t *proc;
    const rl_seccomp_t *seccomp; /* NULL: none */
    int preserve_fds;            /* fds 3.. kept open (plus $LISTEN_FDS) */
    int keep_fds[4];             /* our own sockets, open until execve */
    size_t n_keep_fds;
    char *exe; /* resolved by rl_process_prepare */
    int tfd;   /* the exec trampoline's memfd, made by rl_process_prepare */
} rl_process_ctx_t;

/* oom_score_adj: before the process turns non-dumpable (its /proc/self
 * files then belong to root). */
int rl_process_set_oom(const rl_spec_process_t *p, rl_error_t *err);
/* Non-dumpable, nothing in the container can open our /proc/PID files
 * (exe, mem, fd, ns) or ptrace us while we still run rl: that needs
 * CAP_SYS_PTRACE where rl was started. */
int rl_process_set_dumpable(bool on, rl_error_t *err);
/* execve's errno e for the command arg: "exec: "ARG": ...", exit 127 for
 * ENOENT, else 126; returns -1. */
int rl_process_exec_error(rl_error_t *err, const char *arg, int e);
/* From the first step of setup to execve, no signal reaches rl's code:
 * the container could send them (SIGKILL and SIGSTOP excepted). */
void rl_process_block_signals(void);
/* Before READY: rlimits, apparmor, cwd, umask, find the
 * executable (err->exit 127/126), close every other fd but keep_fds. */
int rl_process_prepare(rl_process_ctx_t *ctx, rl_error_t *err);
/* After START; returns only on failure (err->exit set). sync_fd receives a
 * seccomp notify fd if the filter has one, then the trampoline's error pipe
 * (RL_SYNC_EXEC_ERR): the parent learns there whether the command ran. */
int rl_process_exec(rl_process_ctx_t *ctx, int sync_fd, rl_error_t *err);

#endif
