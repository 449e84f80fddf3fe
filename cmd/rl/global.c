/* SPDX-License-Identifier: Apache-2.0 */
/* rl's global options (before the verb), podman's names: one table, as the
 * verbs have theirs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/util/log.h"
#include "storage/driver.h"

rl_cli_global_t rl_global;

static int set_log_level(void *ctx, const char *v)
{
    (void)ctx;
    int lvl = rl_log_parse_level(v);
    if (lvl < 0) {
        rl_cli_usage("--log-level", "unknown level '%s' (use debug, info, warn or error)", v);
        return -1;
    }
    rl_log_set_level(lvl);
    return 0;
}

/* refused before any verb runs, as podman does */
static int set_storage_driver(void *ctx, const char *v)
{
    rl_store_driver_t d;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_store_driver_parse(v, &d, &err) < 0) return rl_cli_fail(&err), -1;
    ((rl_cli_global_t *)ctx)->storage_driver = v;
    return 0;
}

/* --noout: what the verb prints on stdout goes nowhere (errors still show) */
static int set_noout(void *ctx, const char *v)
{
    (void)ctx, (void)v;
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) dup2(fd, STDOUT_FILENO), close(fd);
    return 0;
}

static int set_events_backend(void *ctx, const char *v)
{
    (void)ctx;
    if (!strcmp(v, "file") || !strcmp(v, "journald") || !strcmp(v, "none")) return 0;
    rl_cli_usage("--events-backend", "'%s': use file, journald or none", v);
    return -1;
}

static int refuse_remote(void *ctx, const char *v)
{
    (void)ctx, (void)v;
    rl_cli_usage("--url", "rl has no remote API (no service to connect to): run rl where the "
                          "containers are");
    return -1;
}

static int refuse_runtime(void *ctx, const char *v)
{
    (void)ctx, (void)v;
    rl_cli_usage("--runtime", "rl is its own OCI runtime and runs no other (rl oci is it, for "
                              "podman's --runtime)");
    return -1;
}

static int help(void *ctx, const char *v)
{
    (void)ctx, (void)v;
    rl_cli_usage_all(stdout);
    exit(0);
}

static int version(void *ctx, const char *v)
{
    (void)ctx, (void)v;
    exit(rl_cli_print_version());
}

static const rl_cli_opt_t global_opts[] = {
    RL_FN("log-level", 0, "LEVEL", set_log_level, "debug, info, warn or error"),
    RL_STR("root", 0, "DIR", rl_cli_global_t, root, "the store (default ~/.local/share/rl)"),
    RL_FN("storage-driver", 0, "overlay|fuse-overlayfs|vfs", set_storage_driver,
          "how container roots are mounted"),
    RL_FN("noout", 0, NULL, set_noout, "print nothing on stdout"),
    RL_FN("events-backend", 0, "file|journald|none", set_events_backend,
          "where events go (rl records none yet)"),
    RL_FN("url", 0, "URL", refuse_remote, "refused: rl has no remote API"),
    RL_FN("connection", 'c', "NAME", refuse_remote, NULL),
    RL_FN("remote", 0, NULL, refuse_remote, NULL),
    RL_FN("runtime", 0, "PATH", refuse_runtime, "refused: rl is its own OCI runtime"),
    RL_FN("runtime-flag", 0, "FLAG", refuse_runtime, NULL),
    RL_FN("help", 'h', NULL, help, "this help"),
    RL_FN("version", 'v', NULL, version, "rl's version"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_global = {"", "", "COMMAND [ARGS...]", global_opts, false};

int rl_cli_parse_global(int argc, char **argv)
{
    return rl_cli_parse(&rl_cli_global, argc, argv, &rl_global);
}
