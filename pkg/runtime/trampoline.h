/* SPDX-License-Identifier: Apache-2.0 */
/* The exec trampoline (trampoline/main.c): every container process is
 * started through a sealed, unreadable memfd copy of it, so the host's rl
 * binary is never the executable of a process in the container. */
#ifndef RL_RUNTIME_TRAMPOLINE_H
#define RL_RUNTIME_TRAMPOLINE_H

#include "pkg/util/error.h"

/* The memfd (close-on-exec), sealed against any change. */
int rl_trampoline_open(rl_error_t *err);
/* Run exe with argv and env through the trampoline tfd; errors of exe's own
 * execve come back as 4 bytes of errno on the pipe whose write end is
 * errfd. Returns only on failure of the trampoline's execveat (errno set):
 * EPERM/ENOSYS when a seccomp profile forbids execveat. */
int rl_trampoline_exec(int tfd, int errfd, const char *exe, char *const *argv, char *const *env);

#endif
