/* rl: global flags and the verb table. Invoked as "rl-oci", rl is the
 * runc-compatible OCI runtime (`rl oci ...`). */
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pkg/util/log.h"

#ifndef RL_VERSION
#define RL_VERSION "0.1.0"
#endif

static const rl_verb_t verbs[] = {
    {"run", rl_cmd_run, "run a command in a new container from an image"},
    {"create", rl_cmd_create, "create a container from an image (start it with rl start)"},
    {"start", rl_cmd_start, "start created or exited containers (-a: in the foreground)"},
    {"stop", rl_cmd_stop, "stop containers: their stop signal, then SIGKILL after -t seconds"},
    {"kill", rl_cmd_kill, "send a signal to containers"},
    {"restart", rl_cmd_restart, "stop and start containers"},
    {"rm", rl_cmd_rm, "remove containers"},
    {"ps", rl_cmd_ps, "list containers"},
    {"logs", rl_cmd_logs, "show a container's output (-f: follow)"},
    {"wait", rl_cmd_wait, "wait for containers to exit and print their exit codes"},
    {"exec", rl_cmd_exec, "run a process in a running container"},
    {"attach", rl_cmd_attach, "attach this terminal to a running container"},
    {"top", rl_cmd_top, "show the processes of a running container"},
    {"rename", rl_cmd_rename, "give a container a new name"},
    {"stats", rl_cmd_stats, "resource use of running containers (cgroup v2)"},
    {"container", rl_cmd_container, "container verbs: ls, inspect, prune, ..."},
    {"pull", rl_cmd_pull, "pull an image from a registry"},
    {"images", rl_cmd_images, "list images in the store"},
    {"image", rl_cmd_image,
     "manage images (ls, rm, tag, inspect, exists, prune, pull, load, import)"},
    {"rmi", rl_cmd_rmi, "remove images"},
    {"tag", rl_cmd_tag, "add names to an image"},
    {"inspect", rl_cmd_inspect, "show details of images"},
    {"load", rl_cmd_load, "load images from a docker-archive or oci-archive"},
    {"import", rl_cmd_import, "import a root filesystem tarball as an image"},
    {"info", rl_cmd_info, "show the store, storage driver and why"},
    {"system", rl_cmd_system, "system df, prune, reset: the store's use and clean-up"},
    {"oci", rl_cmd_oci, "the low-level OCI runtime (runc-compatible)"},
    {"version", rl_cmd_version, "print the version"},
};

rl_cli_global_t rl_global;

rl_store_t *rl_cli_store(void)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_store_t *s = rl_store_open(rl_global.root, &err);
    if (!s) rl_cli_fail(&err);
    return s;
}

int rl_cli_fail(rl_error_t *err)
{
    rl_error_log("%s", err->msg ? err->msg : "unknown error");
    int code = err->exit ? err->exit : RL_EXIT_FAILURE;
    rl_error_clear(err);
    return code;
}

int rl_cli_usage(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    rl_error_log("%s: %s", what, msg ? msg : "usage error");
    free(msg);
    return RL_EXIT_FAILURE;
}

int rl_cli_parse_uint(const char *opt, const char *val, int max)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < 0 || v > max) {
        rl_error_log("%s: '%s' is not a number between 0 and %d", opt, val, max);
        return -1;
    }
    return (int)v;
}

int rl_cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("rl version %s\nspec: 1.0.2\n", RL_VERSION);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: rl [--log-level LEVEL] [--root DIR] [--storage-driver "
               "overlay|fuse-overlayfs|vfs] COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].help);
}

int main(int argc, char **argv)
{
    /* rl-oci (argv[0]) is `rl oci`: engines and schedulers call it as runc. */
    char *base = basename(argv[0]);
    if (!strcmp(base, "rl-oci")) return rl_cmd_oci(argc, argv);
    static const struct option opts[] = {
        {"log-level", required_argument, NULL, 'l'},
        {"root", required_argument, NULL, 'r'},
        {"storage-driver", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'v'},
        {0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': {
            int lvl = rl_log_parse_level(optarg);
            if (lvl < 0)
                return rl_cli_usage("--log-level",
                                    "unknown level '%s' (use debug, info, warn or error)", optarg);
            rl_log_set_level(lvl);
            break;
        }
        case 'r':
            rl_global.root = optarg;
            break;
        case 'S':
            rl_global.storage_driver = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'v':
            return rl_cmd_version(0, NULL);
        default:
            usage(stderr);
            return RL_EXIT_FAILURE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return RL_EXIT_FAILURE;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strcmp(argv[optind], verbs[i].name)) continue;
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        optind = 0; /* each verb parses its own flags */
        return verbs[i].run(sub_argc, sub_argv);
    }
    return rl_cli_usage(argv[optind], "unknown command (see 'rl --help')");
}
