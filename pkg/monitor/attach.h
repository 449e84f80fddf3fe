/* SPDX-License-Identifier: Apache-2.0 */
/* Attaching to a container through its monitor: a SOCK_SEQPACKET socket in
 * the runtime dir (<rundir>/rl/attach/<id>). Each packet starts with a
 * type byte:
 *   client -> monitor: 'i' stdin bytes, 'c' stdin closed, 'w' "ROWS COLS",
 *                      's' "SIGNO"
 *   monitor -> client: 'o' stdout bytes, 'e' stderr bytes, 'x' "EXITCODE"
 *                      (the container exited; the monitor has recorded it). */
#ifndef RL_MONITOR_ATTACH_H
#define RL_MONITOR_ATTACH_H

#include <stdbool.h>

#include "detachkeys.h"
#include "pkg/util/error.h"

#define RL_ATTACH_PACKET   8192
#define RL_ATTACH_DETACHED (-2) /* rl_mon_attach_client: the detach keys were typed */

/* <rundir>/rl/attach/<id>; with make_dir the dir is created. Caller frees. */
char *rl_mon_attach_path(const char *id, bool make_dir, rl_error_t *err);
int rl_mon_attach_listen(const char *path, rl_error_t *err);
int rl_mon_attach_connect(const char *id, rl_error_t *err);

typedef struct rl_mon_attach_opts {
    int fd;         /* connected to the monitor */
    bool tty;       /* the container has a terminal: raw mode, window size */
    bool stdin_on;  /* pass our stdin */
    bool sig_proxy; /* forward SIGINT, SIGTERM, ... to the container */
    rl_mon_detach_keys_t keys;
} rl_mon_attach_opts_t;

/* Relay until the container exits (its code), the keys detach
 * (RL_ATTACH_DETACHED), or the monitor goes away (-1 with err). */
int rl_mon_attach_client(rl_mon_attach_opts_t *o, rl_error_t *err);

#endif
