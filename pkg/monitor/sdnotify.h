/* SPDX-License-Identifier: Apache-2.0 */
/* The systemd notify protocol (sd_notify(3)): one datagram to
 * $NOTIFY_SOCKET, a path or an abstract name ("@..."). */
#ifndef RL_MONITOR_SDNOTIFY_H
#define RL_MONITOR_SDNOTIFY_H

#include "pkg/util/error.h"

int rl_mon_sd_notify(const char *socket_path, const char *msg, rl_error_t *err);

#endif
