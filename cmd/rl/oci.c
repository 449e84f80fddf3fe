/* SPDX-License-Identifier: Apache-2.0 */
/* `rl oci` (and `rl-oci`): the runc-compatible OCI runtime CLI. Global flags
 * as runc's, then one subcommand; each calls one pkg/runtime function. */
#include <getopt.h>
#include <sys/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/runtime/container.h"
#include "pkg/runtime/mountopts.h"
#include "pkg/runtime/seccomp.h"
#include "pkg/runtime/state.h"
#include "pkg/spec/default.h"
#include "pkg/spec/spec.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "pkg/util/signame.h"

typedef struct oci_global {
    char *root;
} oci_global_t;

static oci_global_t g;

#define NEED_ID(cmd)                                                                               \
    do {                                                                                           \
        if (optind >= argc) return rl_cli_usage("oci " cmd, "missing container id");               \
    } while (0)

typedef struct create_cli {
    rl_create_opts_t o;
    rl_create_run_t how;
} create_cli_t;

static int set_preserve_fds(void *at, const char *v)
{
    return (*(int *)at = rl_cli_parse_uint("--preserve-fds", v, 65536)) < 0 ? -1 : 0;
}

#define CREATE_OPTS                                                                                \
    RL_STR("bundle", 'b', "DIR", create_cli_t, o.bundle, "the bundle (default: .)"),               \
        RL_STR("pid-file", 0, "FILE", create_cli_t, o.pid_file, "write the init's pid there"),     \
        RL_STR("console-socket", 0, "PATH", create_cli_t, o.console_socket,                        \
               "send the pty master to this socket"),                                              \
        RL_FN_AT("preserve-fds", 0, "N", create_cli_t, o.preserve_fds, set_preserve_fds,           \
                 "pass N more fds (3...) to the container"),                                       \
        RL_FLAG("no-pivot", 0, create_cli_t, o.no_pivot, "chroot, not pivot_root"),                \
        RL_IGNORED("no-new-keyring", 0, NULL, "runc's; no effect here"),                           \
        RL_IGNORED("no-subreaper", 0, NULL, "runc's; no effect here"),                             \
        RL_IGNORED("keep", 0, NULL, "runc's; no effect here")

static const rl_cli_opt_t create_opts[] = {CREATE_OPTS, RL_OPT_END};
static const rl_cli_opt_t run_opts[] = {
    RL_FLAG("detach", 'd', create_cli_t, how.detach, "return once it runs"),
    CREATE_OPTS,
    RL_OPT_END,
};
static const rl_cli_cmd_t create_cmd = {"oci create",
                                        "create a container from a bundle (it waits for start)",
                                        "ID", create_opts, false};
static const rl_cli_cmd_t run_cmd = {
    "oci run", "create and start a container (foreground unless --detach)", "ID", run_opts, false};

static int oci_create_or_run(int argc, char **argv, bool run)
{
    create_cli_t c = {.o = {.root = g.root, .bundle = "."}, .how = {.start = run}};
    if (rl_cli_parse(run ? &run_cmd : &create_cmd, argc, argv, &c) < 0) return RL_EXIT_FAILURE;
    rl_create_opts_t o = c.o;
    rl_create_run_t how = c.how;
    if (optind >= argc) return rl_cli_usage(run ? "oci run" : "oci create", "missing container id");
    o.id = argv[optind];
    rl_error_t err = RL_ERROR_INIT;
    int r = rl_container_create(&o, &how, NULL, &err);
    return r < 0 ? rl_cli_fail(&err) : r;
}

static int oci_create(int argc, char **argv)
{
    return oci_create_or_run(argc, argv, false);
}

static int oci_run(int argc, char **argv)
{
    return oci_create_or_run(argc, argv, true);
}

static const rl_cli_opt_t no_opts[] = {RL_OPT_END};
static const rl_cli_cmd_t start_cmd = {"oci start", "start a created container", "ID", no_opts,
                                       false};
static const rl_cli_cmd_t state_cmd = {
    "oci state", "print the state of a container (runtime-spec JSON)", "ID", no_opts, false};

static int oci_start(int argc, char **argv)
{
    if (rl_cli_parse(&start_cmd, argc, argv, NULL) < 0) return RL_EXIT_FAILURE;
    NEED_ID("start");
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_start(g.root, argv[optind], &err) < 0 ? rl_cli_fail(&err) : 0;
}

static int oci_state(int argc, char **argv)
{
    if (rl_cli_parse(&state_cmd, argc, argv, NULL) < 0) return RL_EXIT_FAILURE;
    NEED_ID("state");
    rl_error_t err = RL_ERROR_INIT;
    rl_state_t *st = rl_state_load(g.root, argv[optind], &err);
    if (!st) return rl_cli_fail(&err);
    json_object *o = rl_state_to_json(st, rl_state_status(g.root, st));
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    rl_state_free(st);
    return 0;
}

static const rl_cli_opt_t kill_opts[] = {
    {.name = "all",
     .short_name = 'a',
     .kind = RL_OPT_FLAG,
     .help = "every process of the container"},
    RL_OPT_END,
};
static const rl_cli_cmd_t kill_cmd = {"oci kill", "send a signal (default SIGTERM) to a container",
                                      "ID [SIGNAL]", kill_opts, false};

static int oci_kill(int argc, char **argv)
{
    bool all = false;
    if (rl_cli_parse(&kill_cmd, argc, argv, &all) < 0) return RL_EXIT_FAILURE;
    NEED_ID("kill");
    const char *id = argv[optind];
    const char *sname = optind + 1 < argc ? argv[optind + 1] : "SIGTERM";
    int sig = rl_signal_parse(sname);
    if (sig < 0) return rl_cli_usage("oci kill", "invalid signal '%s'", sname);
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_kill(g.root, id, sig, all, &err) < 0 ? rl_cli_fail(&err) : 0;
}

static const rl_cli_opt_t delete_opts[] = {
    {.name = "force", .short_name = 'f', .kind = RL_OPT_FLAG, .help = "kill it first if it runs"},
    RL_OPT_END,
};
static const rl_cli_cmd_t delete_cmd = {"oci delete", "delete a stopped container (--force: any)",
                                        "ID", delete_opts, false};

static int oci_delete(int argc, char **argv)
{
    bool force = false;
    if (rl_cli_parse(&delete_cmd, argc, argv, &force) < 0) return RL_EXIT_FAILURE;
    NEED_ID("delete");
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_delete(g.root, argv[optind], force, &err) < 0 ? rl_cli_fail(&err) : 0;
}

typedef struct exec_cli {
    rl_exec_opts_t o;
    char **env, **caps, **gids;
} exec_cli_t;

static int set_tty(void *ctx, const char *v)
{
    (void)v;
    exec_cli_t *x = ctx;
    x->o.tty = x->o.tty_set = true;
    return 0;
}

static const rl_cli_opt_t exec_opts[] = {
    RL_STR("process", 'p', "FILE", exec_cli_t, o.process_file, "the process, as config.json's"),
    RL_FN("tty", 't', NULL, set_tty, "give the process a terminal"),
    RL_FLAG("detach", 'd', exec_cli_t, o.detach, "return once it runs"),
    RL_STR("pid-file", 0, "FILE", exec_cli_t, o.pid_file, "write its pid there"),
    RL_STR("console-socket", 0, "PATH", exec_cli_t, o.console_socket,
           "send the pty master to this socket"),
    RL_STR("cwd", 'w', "DIR", exec_cli_t, o.cwd, "working directory"),
    RL_LIST("env", 'e', "KEY=VALUE", exec_cli_t, env, "set an environment variable"),
    RL_STR("user", 'u', "UID[:GID]", exec_cli_t, o.user, "user to run as"),
    RL_LIST("cap", 'c', "CAP", exec_cli_t, caps, "add a capability"),
    RL_FLAG("no-new-privs", 0, exec_cli_t, o.no_new_privs, "set no_new_privs"),
    RL_FN_AT("preserve-fds", 0, "N", exec_cli_t, o.preserve_fds, set_preserve_fds,
             "pass N more fds (3...) to the process"),
    RL_LIST("additional-gids", 'g', "GID", exec_cli_t, gids, "add a group"),
    RL_IGNORED("process-label", 0, "LABEL", "SELinux: not on this platform"),
    RL_IGNORED("apparmor", 0, "PROFILE", "AppArmor: not applied"),
    RL_OPT_END,
};
static const rl_cli_cmd_t exec_cmd = {"oci exec", "run a new process in a container",
                                      "ID [COMMAND [ARG...]]", exec_opts, false};

static int oci_exec(int argc, char **argv)
{
    exec_cli_t x = {.o = {.root = g.root},
                    .env = xcalloc(1, sizeof(char *)),
                    .caps = xcalloc(1, sizeof(char *)),
                    .gids = xcalloc(1, sizeof(char *))};
    int first = rl_cli_parse(&exec_cmd, argc, argv, &x);
    rl_autostrv char **env = x.env, **caps = x.caps, **gids = x.gids;
    if (first < 0) return RL_EXIT_FAILURE;
    rl_exec_opts_t o = x.o;
    NEED_ID("exec");
    o.id = argv[optind];
    o.args = argv + optind + 1;
    if (!o.process_file && !o.args[0])
        return rl_cli_usage("oci exec", "missing command (or --process FILE)");
    o.env = env;
    o.caps = caps;
    o.gids = gids;
    rl_error_t err = RL_ERROR_INIT;
    int r = rl_container_exec(&o, &err);
    return r < 0 ? rl_cli_fail(&err) : r;
}

typedef struct list_cli {
    bool quiet, json;
} list_cli_t;

static int set_list_format(void *ctx, const char *v)
{
    if (strcmp(v, "json") && strcmp(v, "table")) {
        rl_cli_usage("oci list", "--format: '%s' is not table or json", v);
        return -1;
    }
    ((list_cli_t *)ctx)->json = !strcmp(v, "json");
    return 0;
}

static const rl_cli_opt_t list_opts[] = {
    RL_FLAG("quiet", 'q', list_cli_t, quiet, "ids only"),
    RL_FN("format", 'f', "table|json", set_list_format, "how to print"),
    RL_OPT_END,
};
static const rl_cli_cmd_t list_cmd = {"oci list", "list containers", "", list_opts, false};

static int oci_list(int argc, char **argv)
{
    list_cli_t l = {0};
    if (rl_cli_parse(&list_cmd, argc, argv, &l) < 0) return RL_EXIT_FAILURE;
    bool quiet = l.quiet, json = l.json;
    rl_error_t err = RL_ERROR_INIT;
    rl_autostrv char **ids = NULL;
    if (rl_state_list(g.root, &ids, &err) < 0) return rl_cli_fail(&err);
    json_object *arr = json_object_new_array();
    if (!quiet && !json)
        printf("%-24s %-8s %-8s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
               "OWNER");
    for (size_t i = 0; ids[i]; i++) {
        rl_state_t *st = rl_state_load(g.root, ids[i], &err);
        if (!st) {
            rl_error_clear(&err);
            continue;
        }
        const char *status = rl_state_status(g.root, st);
        int pid = strcmp(status, "stopped") ? st->pid : 0;
        if (quiet)
            printf("%s\n", st->id);
        else if (json)
            json_object_array_add(arr, rl_state_to_json(st, status));
        else
            printf("%-24s %-8d %-8s %-40s %-30s %s\n", st->id, pid, status,
                   st->bundle ? st->bundle : "", st->created ? st->created : "",
                   st->owner ? st->owner : "");
        rl_state_free(st);
    }
    if (json)
        printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(arr);
    return 0;
}

static const rl_cli_cmd_t features_cmd = {"oci features", "print what this runtime supports (JSON)",
                                          "", no_opts, false};

static int oci_features(int argc, char **argv)
{
    if (rl_cli_parse(&features_cmd, argc, argv, NULL) < 0) return RL_EXIT_FAILURE;
    /* what the parsers take, from their own tables */
    const char *ns[RL_NS_COUNT + 1] = {0};
    for (int t = 0; t < RL_NS_COUNT; t++)
        ns[t] = rl_spec_ns_name(t);
    rl_autostrv char **opts = rl_mount_opts_names();
    rl_autostrv char **actions = rl_seccomp_names(RL_SECCOMP_ACTIONS);
    rl_autostrv char **ops = rl_seccomp_names(RL_SECCOMP_OPERATORS);
    rl_autostrv char **archs = rl_seccomp_names(RL_SECCOMP_ARCHS);
    rl_autostrv char **flags = rl_seccomp_names(RL_SECCOMP_FLAGS);
    json_object *f = json_object_new_object(), *lx = json_object_new_object();
    json_object_object_add(f, "ociVersionMin", json_object_new_string("1.0.0"));
    json_object_object_add(f, "ociVersionMax", json_object_new_string("1.1.0"));
    json_object_object_add(f, "hooks", json_object_new_array());
    json_object_object_add(f, "mountOptions", rl_json_new_strv((const char *const *)opts));
    json_object_object_add(lx, "namespaces", rl_json_new_strv(ns));
    json_object *caps = json_object_new_array();
    for (int i = 0; i <= 40; i++) {
        char *n = cap_to_name(i);
        if (n && strncmp(n, "cap_", 4) == 0) {
            for (char *p = n; *p; p++)
                *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            json_object_array_add(caps, json_object_new_string(n));
        }
        cap_free(n);
    }
    json_object_object_add(lx, "capabilities", caps);
    json_object *cg = json_object_new_object();
    json_object_object_add(cg, "v1", json_object_new_boolean(0));
    json_object_object_add(cg, "v2", json_object_new_boolean(1));
    json_object_object_add(cg, "systemd", json_object_new_boolean(0));
    json_object_object_add(cg, "systemdUser", json_object_new_boolean(0));
    json_object_object_add(lx, "cgroup", cg);
    json_object *sc = json_object_new_object();
    json_object_object_add(sc, "enabled", json_object_new_boolean(1));
    json_object_object_add(sc, "actions", rl_json_new_strv((const char *const *)actions));
    json_object_object_add(sc, "operators", rl_json_new_strv((const char *const *)ops));
    json_object_object_add(sc, "archs", rl_json_new_strv((const char *const *)archs));
    json_object_object_add(sc, "supportedFlags", rl_json_new_strv((const char *const *)flags));
    json_object_object_add(lx, "seccomp", sc);
    json_object *off = json_object_new_object();
    json_object_object_add(off, "enabled", json_object_new_boolean(0));
    json_object_object_add(lx, "apparmor", json_object_get(off));
    json_object_object_add(lx, "selinux", off);
    json_object_object_add(f, "linux", lx);
    printf("%s\n", json_object_to_json_string_ext(f, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(f);
    return 0;
}

typedef struct spec_cli {
    bool rootless;
    const char *bundle;
} spec_cli_t;

static const rl_cli_opt_t spec_opts[] = {
    RL_FLAG("rootless", 0, spec_cli_t, rootless, "for an unprivileged user (the default as one)"),
    RL_STR("bundle", 'b', "DIR", spec_cli_t, bundle, "where to write config.json (default: .)"),
    RL_OPT_END,
};
static const rl_cli_cmd_t spec_cmd = {"oci spec", "write a default config.json", "", spec_opts,
                                      false};

static int oci_spec(int argc, char **argv)
{
    spec_cli_t c = {.rootless = geteuid() != 0, .bundle = "."};
    if (rl_cli_parse(&spec_cmd, argc, argv, &c) < 0) return RL_EXIT_FAILURE;
    bool rootless = c.rootless;
    const char *bundle = c.bundle;
    rl_autofree char *path = xasprintf("%s/config.json", bundle);
    struct stat st;
    if (stat(path, &st) == 0) return rl_cli_usage("oci spec", "'%s' exists: remove it first", path);
    rl_error_t err = RL_ERROR_INIT;
    json_object *spec = rl_spec_default(rootless, &err);
    if (!spec) return rl_cli_fail(&err);
    const char *text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PRETTY |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    int r = rl_fs_write_atomic(path, text, strlen(text), 0644, &err);
    json_object_put(spec);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

static const rl_verb_t oci_verbs[] = {
    {"create", oci_create, NULL, &create_cmd, NULL},
    {"start", oci_start, NULL, &start_cmd, NULL},
    {"run", oci_run, NULL, &run_cmd, NULL},
    {"state", oci_state, NULL, &state_cmd, NULL},
    {"kill", oci_kill, NULL, &kill_cmd, NULL},
    {"delete", oci_delete, NULL, &delete_cmd, NULL},
    {"exec", oci_exec, NULL, &exec_cmd, NULL},
    {"list", oci_list, NULL, &list_cmd, NULL},
    {"features", oci_features, NULL, &features_cmd, NULL},
    {"spec", oci_spec, NULL, &spec_cmd, NULL},
};

static void oci_usage(FILE *f)
{
    fprintf(f, "usage: rl oci [--root DIR] [--log FILE] [--log-format text|json] [--debug] "
               "COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof oci_verbs / sizeof oci_verbs[0]; i++)
        fprintf(f, "  %-9s %s\n", oci_verbs[i].name, oci_verbs[i].cmd->summary);
}

static int parse_global(int argc, char **argv, rl_error_t *err)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},       {"log", required_argument, NULL, 'l'},
        {"log-format", required_argument, NULL, 'F'}, {"debug", no_argument, NULL, 'D'},
        {"systemd-cgroup", no_argument, NULL, 's'},   {"rootless", required_argument, NULL, 'R'},
        {"criu", required_argument, NULL, 'c'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'v'},          {0},
    };
    const char *log = NULL, *fmt = "text";
    int c;
    while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            g.root = xstrdup(optarg);
            break;
        case 'l':
            log = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return rl_error_set(err, 0, "--log-format: '%s' is not text or json", optarg);
            fmt = optarg;
            break;
        case 'D':
            rl_log_set_level(RL_LOG_DEBUG);
            break;
        case 's':
        case 'R':
        case 'c':
            break; /* runc flags with no meaning here */
        case 'h':
            oci_usage(stdout);
            return 1;
        case 'v':
            rl_cli_print_version();
            return 1;
        default:
            return rl_error_set(err, 0, "invalid option (see 'rl oci --help')");
        }
    }
    if (log && rl_log_set_file(log, !strcmp(fmt, "json"), err) < 0) return -1;
    return 0;
}

int rl_cmd_oci(int argc, char **argv)
{
    rl_error_t err = RL_ERROR_INIT;
    int r = parse_global(argc, argv, &err);
    if (r < 0) return rl_cli_fail(&err);
    if (r > 0) return 0;
    if (optind >= argc) {
        oci_usage(stderr);
        return RL_EXIT_FAILURE;
    }
    if (!g.root && !(g.root = rl_state_default_root(&err))) return rl_cli_fail(&err);
    for (size_t i = 0; i < sizeof oci_verbs / sizeof oci_verbs[0]; i++) {
        if (strcmp(argv[optind], oci_verbs[i].name)) continue;
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        optind = 0;
        return oci_verbs[i].run(sub_argc, sub_argv);
    }
    return rl_cli_usage("oci", "unknown command '%s' (see 'rl oci --help')", argv[optind]);
}
