/* SPDX-License-Identifier: Apache-2.0 */
/* `rl exec`: a process in a running container (pkg/runtime/exec.c joins
 * its namespaces, user namespace first, with its security settings). */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/engine/ctr.h"
#include "pkg/engine/launch.h"
#include "pkg/image/passwd.h"
#include "pkg/runtime/container.h"
#include "pkg/spec/build.h"
#include "pkg/util/cleanup.h"

/* -u NAME[:GROUP] resolved in the container's own /etc/passwd and /etc/group. */
static char *resolve_user(pid_t pid, const char *spec, rl_error_t *err)
{
    char root[64];
    snprintf(root, sizeof root, "/proc/%d/root", (int)pid);
    char *const dirs[] = {root, NULL};
    rl_image_user_t u;
    if (rl_image_user_resolve(dirs, spec, &u, err) < 0) return NULL;
    char *out = xasprintf("%u:%u", u.uid, u.gid);
    rl_image_user_clear(&u);
    return out;
}

typedef struct exec_cli {
    rl_exec_opts_t o;
    bool interactive;
    bool latest;      /* -l: the container created last; no CONTAINER operand */
    char **env_files; /* --env-file: before -e, which wins */
} exec_cli_t;

static int set_tty(void *ctx, const char *v)
{
    (void)v;
    rl_exec_opts_t *o = &((exec_cli_t *)ctx)->o;
    o->tty = o->tty_set = true;
    return 0;
}

/* as much as the container's user namespace allows: every capability */
static int set_privileged(void *ctx, const char *v)
{
    (void)v;
    rl_strv_push(&((exec_cli_t *)ctx)->o.caps, xstrdup("ALL"));
    return 0;
}

static const rl_cli_opt_t exec_opts[] = {
    RL_FLAG("interactive", 'i', exec_cli_t, interactive, "keep stdin open"),
    RL_FN("tty", 't', NULL, set_tty, "give the process a terminal"),
    RL_FLAG("detach", 'd', exec_cli_t, o.detach, "run in the background"),
    RL_STR("user", 'u', "USER[:GROUP]", exec_cli_t, o.user, "user to run as (name or id)"),
    RL_LIST("env", 'e', "KEY=VALUE", exec_cli_t, o.env, "set an environment variable"),
    RL_STR("workdir", 'w', "DIR", exec_cli_t, o.cwd, "working directory"),
    RL_FN("privileged", 0, NULL, set_privileged, "every capability the container may have"),
    RL_LIST("env-file", 0, "FILE", exec_cli_t, env_files, "read environment variables from FILE"),
    RL_FLAG("latest", 'l', exec_cli_t, latest, "the container created last"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_exec = {"exec", "run a process in a running container",
                                  "CONTAINER COMMAND [ARG...]", exec_opts, false};

static int parse(int argc, char **argv, exec_cli_t *x)
{
    if (rl_cli_parse(&rl_cli_exec, argc, argv, x) < 0) return RL_EXIT_FAILURE;
    if (argc - optind + x->latest < 2)
        return rl_cli_usage("exec", "give a container and a command");
    char **env = xcalloc(1, sizeof(char *));
    rl_error_t err = RL_ERROR_INIT;
    if (rl_spec_env_files(&env, x->env_files, &err) < 0) {
        rl_strv_free(env);
        return rl_cli_fail(&err);
    }
    for (size_t i = 0; x->o.env && x->o.env[i]; i++)
        rl_strv_push(&env, xstrdup(x->o.env[i]));
    rl_strv_free(x->o.env);
    rl_strv_free(x->env_files);
    x->env_files = NULL;
    x->o.env = env;
    if (x->o.tty && x->o.detach)
        return rl_cli_usage("exec", "-t with -d: not supported (no attach yet)");
    return 0;
}

int rl_cmd_exec(int argc, char **argv)
{
    exec_cli_t x = {.o = {.tty_set = true}};
    int rc = parse(argc, argv, &x);
    rl_exec_opts_t o = x.o;
    bool interactive = x.interactive;
    if (rc) return rl_strv_free(o.env), rl_strv_free(o.caps), rl_strv_free(x.env_files), rc;
    rl_autostore rl_store_t *s = rl_cli_store();
    rl_error_t err = RL_ERROR_INIT;
    char id[65];
    rl_ctr_rec_t rec = {0};
    rl_ctr_state_t st = {0};
    rl_autofree char *root = NULL, *user = NULL;
    rl_autostrv char **args = NULL;
    int code = -1;
    const char *name = x.latest ? NULL : argv[optind++]; /* then the command */
    if (!s ||
        (name ? rl_engine_ctr_find(s, name, id, &err) : rl_engine_ctr_latest(s, id, &err)) < 0 ||
        rl_engine_ctr_get(s, id, &rec, &st, &err) < 0)
        goto out;
    if (rl_ctr_state_live(&st) != RL_CTR_RUNNING) {
        rl_error_set(&err, 0, "container %s is not running: start it first (rl start)",
                     name ? name : id);
        goto out;
    }
    if (o.user && strspn(o.user, "0123456789:") != strlen(o.user) &&
        !(user = resolve_user(st.pid, o.user, &err)))
        goto out;
    if (user) o.user = user;
    if (!(root = rl_engine_state_root(&err))) goto out;
    args = xcalloc(1, sizeof(char *));
    for (int i = optind; i < argc; i++)
        rl_strv_push(&args, xstrdup(argv[i]));
    /* without -i the process's stdin is /dev/null, as podman's */
    if (!interactive && !o.detach) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) dup2(fd, 0), close(fd);
    }
    o.root = root, o.id = id, o.args = args;
    code = rl_container_exec(&o, &err);
out:
    rl_ctr_rec_clear(&rec);
    rl_ctr_state_clear(&st);
    rl_strv_free(o.env), rl_strv_free(o.caps);
    if (!s) return RL_EXIT_FAILURE;
    return code < 0 ? rl_cli_fail(&err) : code;
}
