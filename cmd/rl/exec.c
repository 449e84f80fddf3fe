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

static int parse(int argc, char **argv, rl_exec_opts_t *o, bool *interactive)
{
    static const struct option opts[] = {
        {"interactive", no_argument, NULL, 'i'}, {"tty", no_argument, NULL, 't'},
        {"detach", no_argument, NULL, 'd'},      {"user", required_argument, NULL, 'u'},
        {"env", required_argument, NULL, 'e'},   {"workdir", required_argument, NULL, 'w'},
        {"privileged", no_argument, NULL, 'P'},  {0}};
    int c;
    while ((c = getopt_long(argc, argv, "+itdu:e:w:", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            *interactive = true;
            break;
        case 't':
            o->tty = o->tty_set = true;
            break;
        case 'd':
            o->detach = true;
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'e':
            rl_strv_push(&o->env, xstrdup(optarg));
            break;
        case 'w':
            o->cwd = optarg;
            break;
        case 'P':
            /* as much as the container's user namespace allows: every capability */
            rl_strv_push(&o->caps, xstrdup("ALL"));
            break;
        default:
            return rl_cli_bad_option("exec", argv);
        }
    }
    if (argc - optind < 2) return rl_cli_usage("exec", "give a container and a command");
    if (o->tty && o->detach)
        return rl_cli_usage("exec", "-t with -d: not supported (no attach yet)");
    return 0;
}

int rl_cmd_exec(int argc, char **argv)
{
    rl_exec_opts_t o = {.tty_set = true};
    bool interactive = false;
    int rc = parse(argc, argv, &o, &interactive);
    if (rc) return rl_strv_free(o.env), rl_strv_free(o.caps), rc;
    rl_autostore rl_store_t *s = rl_cli_store();
    rl_error_t err = RL_ERROR_INIT;
    char id[65];
    rl_ctr_rec_t rec = {0};
    rl_ctr_state_t st = {0};
    rl_autofree char *root = NULL, *user = NULL;
    rl_autostrv char **args = NULL;
    int code = -1;
    if (!s || rl_engine_ctr_find(s, argv[optind], id, &err) < 0 ||
        rl_engine_ctr_get(s, id, &rec, &st, &err) < 0)
        goto out;
    if (rl_ctr_state_live(&st) != RL_CTR_RUNNING) {
        rl_error_set(&err, 0, "container %s is not running: start it first (rl start)",
                     argv[optind]);
        goto out;
    }
    if (o.user && strspn(o.user, "0123456789:") != strlen(o.user) &&
        !(user = resolve_user(st.pid, o.user, &err)))
        goto out;
    if (user) o.user = user;
    if (!(root = rl_engine_state_root(&err))) goto out;
    args = xcalloc(1, sizeof(char *));
    for (int i = optind + 1; i < argc; i++)
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
