/* SPDX-License-Identifier: Apache-2.0 */
/* The relay between a foreground container and its caller's terminal: the
 * signals a user sends a foreground job go on to the container, and the
 * terminal's size to its pty. One list and one handler for `rl oci run`
 * (foreground.c) and `rl run` (the monitor's loop). */
#ifndef RL_RUNTIME_RELAY_H
#define RL_RUNTIME_RELAY_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Block the relayed signals (with proxy false, SIGWINCH alone) and extra
 * (0: none; SIGCHLD for a caller that reaps), and return a non-blocking
 * signalfd for them; *old gets the mask to restore. */
int rl_relay_signalfd(bool proxy, int extra, sigset_t *old);
/* Drain sfd: SIGWINCH copies our terminal's size to master (when >= 0),
 * SIGCHLD is left to the caller, every other signal goes to pid (> 0). */
void rl_relay_signals(int sfd, pid_t pid, int master);
/* Our terminal's size (stdin's) onto master. */
void rl_relay_winsize(int master);

#endif
