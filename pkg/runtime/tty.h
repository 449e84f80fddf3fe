/* SPDX-License-Identifier: Apache-2.0 */
/* The container's terminal: a pty from the container's own devpts, its
 * master end sent to rl (console socket, or relayed in the foreground). */
#ifndef RL_RUNTIME_TTY_H
#define RL_RUNTIME_TTY_H

#include <stdbool.h>

#include "pkg/spec/spec.h"
#include "pkg/util/error.h"

/* Child: open a pty, send the master over sync_fd (RL_SYNC_TTY), make the
 * slave the controlling terminal and stdio. console: bind it on /dev/console. */
int rl_tty_setup_child(const rl_spec_process_t *proc, int sync_fd, bool console, rl_error_t *err);
/* Parent: hand the master to a runc-style --console-socket. */
int rl_tty_send_console(const char *socket_path, int master, rl_error_t *err);

#endif
