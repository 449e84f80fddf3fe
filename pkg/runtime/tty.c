/* SPDX-License-Identifier: Apache-2.0 */
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "mount.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/sock.h"
#include "resolve.h"
#include "sync.h"

static int bind_console(int slave, rl_error_t *err)
{
    rl_autoclose int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) return rl_error_set(err, errno, "open /");
    return rl_mount_bind_fd(slave, rootfd, "/dev/console", false, false, err);
}

int rl_tty_setup_child(const rl_spec_process_t *proc, int sync_fd, bool console, rl_error_t *err)
{
    rl_autoclose int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return rl_error_set(err, errno, "open /dev/ptmx (is /dev/pts mounted?)");
    char name[64];
    if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0)
        return rl_error_set(err, errno, "set up pty");
    rl_autoclose int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) return rl_error_set(err, errno, "open '%s'", name);
    if (proc->console_height || proc->console_width) {
        struct winsize ws = {.ws_row = (unsigned short)proc->console_height,
                             .ws_col = (unsigned short)proc->console_width};
        ioctl(slave, TIOCSWINSZ, &ws);
    }
    /* The terminal belongs to the process's user, as on a login. */
    if (fchown(slave, proc->user.uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
        return rl_error_set(err, errno, "chown '%s'", name);
    if (console && bind_console(slave, err) < 0) return -1;
    if (rl_sync_send(sync_fd, RL_SYNC_TTY, 0, name, master, err) < 0) return -1;
    if (ioctl(slave, TIOCSCTTY, 0) < 0) return rl_error_set(err, errno, "set controlling terminal");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) return rl_error_set(err, errno, "dup2 pty to fd %d", fd);
    return 0;
}

int rl_tty_send_console(const char *socket_path, int master, rl_error_t *err)
{
    rl_autoclose int s = rl_sock_connect_path(socket_path, SOCK_STREAM, err);
    if (s < 0) return rl_error_wrap(err, "console socket");
    /* runc sends the terminal's name as the message, the fd as SCM_RIGHTS. */
    static const char name[] = "/dev/ptmx";
    return rl_sock_send_fd(s, master, name, sizeof name - 1, err);
}
