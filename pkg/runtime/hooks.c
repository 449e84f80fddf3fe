/* SPDX-License-Identifier: Apache-2.0 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"

/* Wait for pid, at most timeout seconds (0: no limit); kill it past that. */
static int wait_hook(pid_t pid, int64_t timeout, int *status)
{
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd >= 0 && timeout > 0) {
        struct pollfd p = {pfd, POLLIN, 0};
        int r;
        do
            r = poll(&p, 1, (int)(timeout * 1000));
        while (r < 0 && errno == EINTR);
        if (r == 0) kill(pid, SIGKILL);
    }
    if (pfd >= 0) close(pfd);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR) return -1;
    return 0;
}

static int run_one(const rl_spec_hook_t *h, const char *p, const char *state, rl_error_t *err)
{
    const char *path = h->path;
    int64_t timeout = h->timeout;
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        execve(path, h->args, h->env);
        _exit(127);
    }
    close(in[0]);
    if (pid < 0) {
        close(in[1]);
        return rl_error_set(err, errno, "fork");
    }
    /* a hook that ignores its stdin must not stop us: EPIPE is fine */
    signal(SIGPIPE, SIG_IGN);
    (void)!write(in[1], state, strlen(state));
    close(in[1]);
    int status = 0;
    if (wait_hook(pid, timeout, &status) < 0) return rl_error_set(err, errno, "%s: wait", p);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFSIGNALED(status))
        return rl_error_set(err, 0, "%s ('%s'): killed by signal %d%s", p, path, WTERMSIG(status),
                            timeout && WTERMSIG(status) == SIGKILL ? " (timeout)" : "");
    return rl_error_set(err, 0, "%s ('%s'): exited with status %d", p, path, WEXITSTATUS(status));
}

int rl_hooks_run(const rl_spec_hooks_t *hooks, rl_spec_hook_phase_t phase, json_object *state,
                 rl_error_t *err)
{
    if (!hooks->n[phase]) return 0;
    const char *text = json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN);
    /* poststart and poststop: a failure is logged and the rest still run
     * (runtime spec, lifecycle); the others stop at the first failure. */
    bool go_on = phase == RL_HOOK_POSTSTART || phase == RL_HOOK_POSTSTOP;
    for (size_t i = 0; i < hooks->n[phase]; i++) {
        rl_autofree char *p = xasprintf("hooks.%s[%zu]", rl_spec_hook_phase_name(phase), i);
        rl_error_t one = RL_ERROR_INIT;
        if (run_one(&hooks->v[phase][i], p, text, go_on ? &one : err) == 0) continue;
        if (!go_on) return -1;
        rl_warn("%s", one.msg);
        rl_error_clear(&one);
    }
    return 0;
}
