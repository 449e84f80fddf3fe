/* SPDX-License-Identifier: Apache-2.0 */
/* The parent's side of the setup handshake, shared by create/run and exec:
 * collect what the setup process sends until READY, then, after START, wait
 * for execve (EOF on the socket). */
#ifndef RL_RUNTIME_HANDSHAKE_H
#define RL_RUNTIME_HANDSHAKE_H

#include <stdbool.h>
#include <sys/types.h>

#include "netdev.h"
#include "rootfs.h"
#include "pkg/util/error.h"

typedef struct rl_handshake {
    const char *console_socket; /* where the pty master goes, or NULL */
    pid_t pid;                  /* updated when an extra fork reports the real pid */
    bool want_pid;              /* an extra fork will report it: wait for PID too */
    int master;                 /* the pty master kept (no console socket), or -1 */
    rl_netfds_t net;            /* slirp's fds (RL_NETFDS_NONE) */
    const rl_rootfs_t *rootfs;  /* fuse-overlayfs: whose daemon to start, or NULL */
} rl_handshake_t;

int rl_handshake_until_ready(int fd, rl_handshake_t *h, rl_error_t *err);
/* After START: EOF means execve worked; a seccomp notify fd may come first. */
int rl_handshake_until_exec(int fd, const char *root, const char *id, rl_error_t *err);

#endif
