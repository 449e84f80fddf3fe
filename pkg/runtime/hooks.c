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
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"

static const char *const phases[] = {"prestart", "createRuntime", "poststart", "poststop", NULL};

static int check_hook(json_object *h, const char *p, rl_error_t *err)
{
    const char *path;
    char **v = NULL;
    int64_t t;
    if (rl_json_expect(h, p, json_type_object, err) < 0 ||
        rl_json_str(h, p, "path", true, &path, err) < 0)
        return -1;
    if (path[0] != '/')
        return rl_error_set(err, 0, "%s.path: '%s' is not an absolute path", p, path);
    if (rl_json_strv(h, p, "args", false, &v, err) < 0) return -1;
    rl_strv_free(v);
    v = NULL;
    if (rl_json_strv(h, p, "env", false, &v, err) < 0) return -1;
    rl_strv_free(v);
    return rl_json_i64(h, p, "timeout", 1, 86400, &t, err) < 0 ? -1 : 0;
}

int rl_hooks_validate(json_object *hooks, rl_error_t *err)
{
    if (!hooks) return 0;
    json_object_object_foreach(hooks, name, arr)
    {
        bool known = false;
        for (int i = 0; phases[i]; i++)
            known |= !strcmp(name, phases[i]);
        if (!known && (!strcmp(name, "createContainer") || !strcmp(name, "startContainer")))
            return rl_error_set(err, 0,
                                "hooks.%s: hooks run inside the container are not "
                                "supported by rl yet",
                                name);
        if (!known) return rl_error_set(err, 0, "hooks.%s: unknown hook phase", name);
        rl_autofree char *p = xasprintf("hooks.%s", name);
        if (!arr) continue;
        if (rl_json_expect(arr, p, json_type_array, err) < 0) return -1;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            rl_autofree char *hp = rl_json_path_idx(p, i);
            if (check_hook(json_object_array_get_idx(arr, i), hp, err) < 0) return -1;
        }
    }
    return 0;
}

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

static int run_one(json_object *h, const char *p, const char *state, rl_error_t *err)
{
    const char *path;
    rl_autostrv char **args = NULL, **env = NULL;
    int64_t timeout = 0;
    rl_json_str(h, p, "path", true, &path, err);
    rl_json_strv(h, p, "args", false, &args, err);
    rl_json_strv(h, p, "env", false, &env, err);
    rl_json_i64(h, p, "timeout", 1, 86400, &timeout, err);
    if (!args || !args[0]) {
        rl_strv_free(args);
        args = xcalloc(2, sizeof *args);
        args[0] = xstrdup(path);
    }
    if (!env) env = xcalloc(1, sizeof *env);
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        execve(path, args, env);
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

int rl_hooks_run(json_object *hooks, const char *phase, json_object *state, rl_error_t *err)
{
    json_object *arr;
    if (!hooks || !json_object_object_get_ex(hooks, phase, &arr) || !arr) return 0;
    const char *text = json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN);
    /* poststart and poststop: a failure is logged and the rest still run
     * (runtime spec, lifecycle); the others stop at the first failure. */
    bool go_on = !strcmp(phase, "poststart") || !strcmp(phase, "poststop");
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        rl_autofree char *p = xasprintf("hooks.%s[%zu]", phase, i);
        rl_error_t one = RL_ERROR_INIT;
        if (run_one(json_object_array_get_idx(arr, i), p, text, go_on ? &one : err) == 0) continue;
        if (!go_on) return -1;
        rl_warn("%s", one.msg);
        rl_error_clear(&one);
    }
    return 0;
}
