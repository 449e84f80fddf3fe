/* SPDX-License-Identifier: Apache-2.0 */
/* Passing file descriptors over AF_UNIX sockets (SCM_RIGHTS). */
#ifndef RL_UTIL_SOCK_H
#define RL_UTIL_SOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Send data (at least one byte) with fd attached (fd < 0: no fd). */
int rl_sock_send_fd(int sock, int fd, const void *data, size_t len, rl_error_t *err);
/* Receive one message; *fd is the attached fd or -1. Returns bytes read. */
ssize_t rl_sock_recv_fd(int sock, int *fd, void *buf, size_t size, rl_error_t *err);
/* Connect to a unix socket path of any length (through /proc/self/fd). */
int rl_sock_connect_path(const char *path, int type, rl_error_t *err);

#endif
