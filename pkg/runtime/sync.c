/* SPDX-License-Identifier: Apache-2.0 */
#include "sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pkg/util/sock.h"

struct wire {
    uint32_t type;
    int32_t value;
    char text[RL_SYNC_TEXT_MAX];
};

int rl_sync_send(int sock, rl_sync_type_t type, int value, const char *text, int fd,
                 rl_error_t *err)
{
    struct wire w = {.type = type, .value = value};
    size_t tlen = text ? strnlen(text, RL_SYNC_TEXT_MAX - 1) : 0;
    if (text) memcpy(w.text, text, tlen);
    w.text[tlen] = '\0';
    return rl_sock_send_fd(sock, fd, &w, offsetof(struct wire, text) + tlen + 1, err);
}

int rl_sync_send_error(int sock, const rl_error_t *e, rl_error_t *err)
{
    struct wire w = {.type = RL_SYNC_ERROR};
    size_t len = rl_error_pack(e, w.text, sizeof w.text);
    return rl_sock_send_fd(sock, -1, &w, offsetof(struct wire, text) + len, err);
}

int rl_sync_recv(int sock, rl_sync_msg_t *msg, rl_error_t *err)
{
    struct wire w;
    int fd;
    ssize_t n = rl_sock_recv_fd(sock, &fd, &w, sizeof w, err);
    if (n < 0) return -1;
    msg->fd = fd;
    msg->text[0] = '\0';
    msg->len = 0;
    if (n == 0) {
        msg->type = RL_SYNC_EOF;
        msg->value = 0;
        return 0;
    }
    if ((size_t)n < offsetof(struct wire, text)) {
        if (fd >= 0) close(fd);
        return rl_error_set(err, 0, "sync: short message");
    }
    msg->type = w.type;
    msg->value = w.value;
    size_t tlen = (size_t)n - offsetof(struct wire, text);
    if (tlen >= RL_SYNC_TEXT_MAX) tlen = RL_SYNC_TEXT_MAX - 1;
    memcpy(msg->text, w.text, tlen);
    msg->text[tlen] = '\0';
    msg->len = tlen;
    return 0;
}

int rl_sync_unexpected(rl_sync_msg_t *msg, rl_error_t *err)
{
    if (msg->fd >= 0) close(msg->fd);
    msg->fd = -1;
    if (msg->type == RL_SYNC_ERROR) return rl_error_unpack(msg->text, msg->len, err);
    if (msg->type == RL_SYNC_EOF)
        return rl_error_set(err, 0, "container setup process exited unexpectedly");
    return rl_error_set(err, 0, "sync: unexpected message %u", msg->type);
}

int rl_sync_expect(int sock, rl_sync_type_t type, rl_sync_msg_t *msg, rl_error_t *err)
{
    if (rl_sync_recv(sock, msg, err) < 0) return -1;
    if (msg->type == type) return 0;
    return rl_sync_unexpected(msg, err);
}

void rl_sync_fail(int sock, int code, rl_error_t *err)
{
    rl_error_t ignored = RL_ERROR_INIT;
    if (rl_sync_send_error(sock, err, &ignored) < 0)
        dprintf(2, "rl: %s\n", err->msg ? err->msg : "unknown error");
    rl_error_clear(&ignored);
    _exit(code);
}
