/* SPDX-License-Identifier: Apache-2.0 */
/* rl: global flags and the verb table. Invoked as "rl-oci", rl is the
 * runc-compatible OCI runtime (`rl oci ...`). */
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pkg/util/phase.h"
#include "pkg/util/log.h"
#include "storage/driver.h"

#ifndef RL_VERSION
#define RL_VERSION "0.1.0"
#endif

static const rl_verb_t verbs[] = {
    {"run", rl_cmd_run, "run a command in a new container from an image",
     "[OPTIONS] IMAGE [COMMAND [ARG...]]\n  options: -d -i -t --rm --name NAME -e K=V --env-file F "
     "-u USER -w DIR --entrypoint CMD\n  -v SRC:DST[:OPTS] --mount K=V,... --tmpfs DIR --read-only "
     "--hostname NAME\n  --cap-add CAP --cap-drop CAP --privileged --security-opt OPT --ulimit "
     "K=S[:H]\n  --userns keep-id|MODE --pid|--ipc|--uts host --network MODE --pull POLICY "
     "-q\n  -p [IP:][HOST:]PORT[/PROTO] -P --expose PORT --dns IP --dns-search D --dns-option O\n  "
     "--add-host NAME:IP --no-hosts\n  --restart POLICY --init [--init-path F] --log-driver D "
     "--log-opt K=V\n  --detach-keys "
     "KEYS --sig-proxy=BOOL --sdnotify MODE --pidfile F --conmon-pidfile F"},
    {"create", rl_cmd_create, "create a container from an image (start it with rl start)",
     "[OPTIONS] IMAGE [COMMAND [ARG...]]  (the options of rl run, without -d)"},
    {"start", rl_cmd_start, "start created or exited containers (-a: in the foreground)",
     "[-a] [-i] [--detach-keys KEYS] [--sig-proxy=BOOL] CONTAINER..."},
    {"stop", rl_cmd_stop, "stop containers: their stop signal, then SIGKILL after -t seconds",
     "[-a] [-t SECONDS] CONTAINER..."},
    {"kill", rl_cmd_kill, "send a signal to containers", "[-a] [-s SIGNAL] CONTAINER..."},
    {"restart", rl_cmd_restart, "stop and start containers", "[-a] [-t SECONDS] CONTAINER..."},
    {"rm", rl_cmd_rm, "remove containers", "[-a] [-f] [-v] [--depend] [-t SECONDS] CONTAINER..."},
    {"ps", rl_cmd_ps, "list containers",
     "[-a] [-q] [-l] [-n N] [-s] [--no-trunc] [-f|--filter K=V] [--format json|TEMPLATE]"},
    {"logs", rl_cmd_logs, "show a container's output (-f: follow)",
     "[-f] [-t] [-n|--names] [--tail N] [--since T] [--until T] CONTAINER..."},
    {"wait", rl_cmd_wait, "wait for containers to exit and print their exit codes",
     "[--condition STATE] CONTAINER..."},
    {"exec", rl_cmd_exec, "run a process in a running container",
     "[-d] [-i] [-t] [-u USER] [-e K=V] [-w DIR] [--privileged] CONTAINER COMMAND [ARG...]"},
    {"attach", rl_cmd_attach, "attach this terminal to a running container",
     "[--no-stdin] [--sig-proxy=BOOL] [--detach-keys KEYS] CONTAINER"},
    {"top", rl_cmd_top, "show the processes of a running container", "CONTAINER [DESCRIPTOR...]"},
    {"rename", rl_cmd_rename, "give a container a new name", "CONTAINER NEW_NAME"},
    {"port", rl_cmd_port, "list a container's published ports",
     "[-a] [-l] [CONTAINER [PRIVATE_PORT[/PROTO]]]"},
    {"stats", rl_cmd_stats, "resource use of running containers (cgroup v2)",
     "[-a] --no-stream [CONTAINER...]"},
    {"container", rl_cmd_container, "container verbs: ls, inspect, prune, ...",
     "ls|ps|inspect|prune|create|run|start|stop|kill|restart|rm|logs|wait|exec|attach|top|rename|"
     "stats ..."},
    {"pull", rl_cmd_pull, "pull an image from a registry",
     "[-q] [--platform OS/ARCH[/VARIANT]] [--tls-verify=BOOL] IMAGE"},
    {"images", rl_cmd_images, "list images in the store",
     "[-a] [-q] [--digests] [--no-trunc] [--noheading] [--format json|TEMPLATE] "
     "[REPOSITORY[:TAG]]"},
    {"image", rl_cmd_image,
     "manage images (ls, rm, tag, inspect, exists, prune, pull, load, import)",
     "ls|rm|tag|inspect|exists|prune|pull|load|import ..."},
    {"rmi", rl_cmd_rmi, "remove images", "[-a] [-f] IMAGE..."},
    {"tag", rl_cmd_tag, "add names to an image", "IMAGE NAME..."},
    {"inspect", rl_cmd_inspect, "show details of images",
     "[--type container|image|all] [-f|--format TEMPLATE] NAME..."},
    {"load", rl_cmd_load, "load images from a docker-archive or oci-archive", "-i FILE"},
    {"import", rl_cmd_import, "import a root filesystem tarball as an image", "FILE|- [NAME]"},
    {"info", rl_cmd_info, "show the store, storage driver and why", ""},
    {"system", rl_cmd_system, "system df, prune, reset: the store's use and clean-up",
     "df | prune [-a] [-f] | reset [-f]"},
    {"oci", rl_cmd_oci, "the low-level OCI runtime (runc-compatible)",
     "COMMAND ...  (rl oci --help lists them)"},
    {"version", rl_cmd_version, "print the version", ""},
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

int rl_cli_bad_option(const char *verb, char **argv)
{
    /* An unknown long option is the word getopt just passed, and so is one
     * missing its value (only the last word can be); otherwise optopt names
     * the short option, which may sit in a group like -xa. */
    const char *last = argv[optind - 1];
    bool is_long = optopt <= ' ' || optopt >= 127 || (!argv[optind] && !strncmp(last, "--", 2));
    char shortopt[3] = {'-', (char)optopt, 0};
    const char *word = is_long ? last : shortopt;
    return rl_cli_usage(verb, "'%s': unknown option or missing value (see 'rl %s --help')", word,
                        verb);
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

/* VERB --help, or VERB -h where -h means nothing else: the synopsis. */
static bool wants_help(const rl_verb_t *v, int argc, char **argv)
{
    if (argc < 2 || !strcmp(v->name, "oci")) return false; /* oci has its own */
    if (!strcmp(argv[1], "--help")) return true;
    return !strcmp(argv[1], "-h") && strcmp(v->name, "run") && strcmp(v->name, "create");
}

static int verb_help(const rl_verb_t *v)
{
    printf("rl %s: %s\n\nusage: rl %s %s\n", v->name, v->help, v->name, v->usage);
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
    rl_phase("main");
#ifdef RL_OCI_ONLY
    /* build/rl-oci: the runtime under whatever name it was copied to */
    return rl_cmd_oci(argc, argv);
#endif
    /* rl linked as rl-oci is `rl oci` too: engines and schedulers call it as runc. */
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
    opterr = 0; /* each verb prints its own one-line error */
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
        case 'S': {
            /* refused before any verb runs, as podman does */
            rl_store_driver_t d;
            rl_error_t err = RL_ERROR_INIT;
            if (rl_store_driver_parse(optarg, &d, &err) < 0) return rl_cli_fail(&err);
            rl_global.storage_driver = optarg;
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        case 'v':
            return rl_cmd_version(0, NULL);
        default:
            rl_error_log("'%s': unknown global option or missing value (see 'rl --help')",
                         argv[optind - 1]);
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
        if (wants_help(&verbs[i], sub_argc, sub_argv)) return verb_help(&verbs[i]);
        return verbs[i].run(sub_argc, sub_argv);
    }
    return rl_cli_usage(argv[optind], "unknown command (see 'rl --help')");
}
