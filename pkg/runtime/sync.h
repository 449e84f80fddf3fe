/* SPDX-License-Identifier: Apache-2.0 */
/* Typed messages between rl and the container's setup process over a
 * SOCK_SEQPACKET socketpair (DESIGN.md §1). Errors travel as messages, so a
 * failure in the child is reported by the parent as one clear line. */
#ifndef RL_RUNTIME_SYNC_H
#define RL_RUNTIME_SYNC_H

#include <stdint.h>

#include "pkg/util/error.h"

typedef enum {
    RL_SYNC_EOF = 0,    /* peer closed: after START this means execve succeeded */
    RL_SYNC_IDMAP_DONE, /* parent → child: uid_map/gid_map written, cgroup joined */
    RL_SYNC_PID,        /* child → parent: value = pid of the real init (extra fork) */
    RL_SYNC_TTY,        /* child → parent: fd = pty master */
    RL_SYNC_SECCOMP_FD, /* child → parent: fd = seccomp notify listener */
    RL_SYNC_READY,      /* child → parent: all set up, waiting for START */
    RL_SYNC_CREATED,    /* parent → child (create): state recorded, wait on start.sock */
    RL_SYNC_START,      /* starter → child: execve now */
    RL_SYNC_ERROR,      /* child → parent: text = the error, packed (rl_error_pack) */
    RL_SYNC_TAP,        /* child → parent: fd = the tap (value 0), the outbound listener (1)
                           or SYN queue (2) for slirp (rl_netfds_t) */
    RL_SYNC_FUSE,       /* child → parent: fd = /dev/fuse of the rootfs mount (value 0), after
                           the child's user namespace (value 1): rl_rootfs_fuse_serve */
    RL_SYNC_EXEC_ERR,   /* child → parent, just before execve: fd = the read end of the
                           trampoline's error pipe, text = the command (argv[0]) */
} rl_sync_type_t;

#define RL_SYNC_TEXT_MAX 2048

typedef struct rl_sync_msg {
    uint32_t type;
    int32_t value;
    int fd;     /* received fd or -1; not part of the wire format */
    size_t len; /* of text, without the NUL added after it */
    char text[RL_SYNC_TEXT_MAX];
} rl_sync_msg_t;

int rl_sync_send(int sock, rl_sync_type_t type, int value, const char *text, int fd,
                 rl_error_t *err);
int rl_sync_recv(int sock, rl_sync_msg_t *msg, rl_error_t *err);
/* Receive and require a type; an ERROR message becomes err (its errno,
 * kind and exit code with it), and an unexpected message or EOF is an
 * error too. */
int rl_sync_expect(int sock, rl_sync_type_t type, rl_sync_msg_t *msg, rl_error_t *err);
/* A message a step did not want as err: the child's ERROR as it was made,
 * its death, or a protocol slip. Closes its fd; returns -1. */
int rl_sync_unexpected(rl_sync_msg_t *msg, rl_error_t *err);

/* Send e as an ERROR message (the one encoding of a child's error). */
int rl_sync_send_error(int sock, const rl_error_t *e, rl_error_t *err);
/* In a forked child: report err to the parent and exit with code. */
__attribute__((noreturn)) void rl_sync_fail(int sock, int code, rl_error_t *err);

#endif
