/* SPDX-License-Identifier: Apache-2.0 */
#include "handshake.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "container.h"
#include "process.h"
#include "pkg/util/fs.h"
#include "sync.h"
#include "tty.h"

static int take_tty(rl_handshake_t *h, int master, rl_error_t *err)
{
    if (!h->console_socket) {
        h->master = master;
        return 0;
    }
    int r = rl_tty_send_console(h->console_socket, master, err);
    close(master);
    return r;
}

static void take_netfd(rl_handshake_t *h, const rl_sync_msg_t *m)
{
    int *slot = m->value == 0   ? &h->net.tap
                : m->value == 1 ? &h->net.out_listen
                : m->value == 2 ? &h->net.out_queue
                                : NULL;
    if (!slot || *slot >= 0) {
        if (m->fd >= 0) close(m->fd);
        return;
    }
    *slot = m->fd;
}

/* The child's user namespace comes first, then the /dev/fuse fd. */
static int take_fuse(rl_handshake_t *h, int *userns, rl_sync_msg_t *m, rl_error_t *err)
{
    if (!h->rootfs || m->fd < 0) return rl_sync_unexpected(m, err);
    if (m->value == 1) {
        if (*userns >= 0) close(*userns);
        *userns = m->fd;
        return 0;
    }
    int r = *userns < 0 ? rl_error_set(err, 0, "sync: /dev/fuse before its user namespace")
                        : rl_rootfs_fuse_serve(h->rootfs, m->fd, *userns, err);
    close(m->fd);
    return r;
}

/* The extra fork's PID and the setup process's messages come from two
 * processes on one socket, in either order: READY is done only with both. */
static int until_ready(int fd, rl_handshake_t *h, int *userns, rl_error_t *err)
{
    bool ready = false;
    while (!ready || h->want_pid) {
        rl_sync_msg_t m;
        if (rl_sync_recv(fd, &m, err) < 0) return -1;
        if (m.type == RL_SYNC_FUSE) {
            if (take_fuse(h, userns, &m, err) < 0) return -1;
        } else if (m.type == RL_SYNC_READY)
            ready = true;
        else if (m.type == RL_SYNC_PID)
            h->pid = m.value, h->want_pid = false;
        else if (m.type == RL_SYNC_TAP)
            take_netfd(h, &m);
        else if (m.type == RL_SYNC_TTY) {
            if (take_tty(h, m.fd, err) < 0) return -1;
        } else
            return rl_sync_unexpected(&m, err);
    }
    return 0;
}

int rl_handshake_until_ready(int fd, rl_handshake_t *h, rl_error_t *err)
{
    int userns = -1; /* the child's, until its /dev/fuse fd comes */
    int r = until_ready(fd, h, &userns, err);
    if (userns >= 0) close(userns);
    return r;
}

/* EOF on the trampoline's pipe: the command runs; 4 bytes: its errno. */
static int exec_result(int pipe_fd, const char *arg, rl_error_t *err)
{
    int e = 0;
    ssize_t n;
    do
        n = read(pipe_fd, &e, sizeof e);
    while (n < 0 && errno == EINTR);
    close(pipe_fd);
    return n == (ssize_t)sizeof e ? rl_process_exec_error(err, arg, e) : 0;
}

int rl_handshake_until_exec(int fd, const char *root, const char *id, rl_error_t *err)
{
    int pipe_fd = -1;
    char arg[RL_SYNC_TEXT_MAX] = "";
    for (;;) {
        rl_sync_msg_t m;
        if (rl_sync_recv(fd, &m, err) < 0) break;
        if (m.type == RL_SYNC_EOF) return pipe_fd < 0 ? 0 : exec_result(pipe_fd, arg, err);
        if (m.type == RL_SYNC_EXEC_ERR && pipe_fd < 0 && m.fd >= 0) {
            pipe_fd = m.fd;
            snprintf(arg, sizeof arg, "%s", m.text);
            continue;
        }
        if (m.type != RL_SYNC_SECCOMP_FD) {
            rl_sync_unexpected(&m, err);
            break;
        }
        int r = rl_seccomp_forward(root, id, m.fd, err);
        close(m.fd);
        if (r < 0) break;
    }
    if (pipe_fd >= 0) close(pipe_fd);
    return -1;
}
