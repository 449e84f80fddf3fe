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

static int bad_flag(const char *cmd)
{
    return rl_cli_usage(cmd, "invalid option (see 'rl oci --help')");
}

static int oci_create_or_run(int argc, char **argv, bool run)
{
    static const struct option opts[] = {
        {"bundle", required_argument, NULL, 'b'},
        {"pid-file", required_argument, NULL, 'p'},
        {"console-socket", required_argument, NULL, 'c'},
        {"preserve-fds", required_argument, NULL, 'f'},
        {"no-pivot", no_argument, NULL, 'P'},
        {"no-new-keyring", no_argument, NULL, 'k'},
        {"detach", no_argument, NULL, 'd'},
        {"no-subreaper", no_argument, NULL, 's'},
        {"keep", no_argument, NULL, 'K'},
        {0},
    };
    rl_create_opts_t o = {.root = g.root, .bundle = "."};
    rl_create_run_t how = {.start = run};
    int c;
    while ((c = getopt_long(argc, argv, run ? "+b:d" : "+b:", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            o.bundle = optarg;
            break;
        case 'p':
            o.pid_file = optarg;
            break;
        case 'c':
            o.console_socket = optarg;
            break;
        case 'f':
            if ((o.preserve_fds = rl_cli_parse_uint("--preserve-fds", optarg, 65536)) < 0)
                return RL_EXIT_FAILURE;
            break;
        case 'P':
            o.no_pivot = true;
            break;
        case 'd':
            if (!run) return bad_flag("oci create");
            how.detach = true;
            break;
        case 'k':
        case 's':
        case 'K':
            break; /* accepted for runc compatibility */
        default:
            return bad_flag(run ? "oci run" : "oci create");
        }
    }
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

static int oci_start(int argc, char **argv)
{
    if (getopt_long(argc, argv, "+", (struct option[]){{0}}, NULL) != -1)
        return bad_flag("oci start");
    NEED_ID("start");
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_start(g.root, argv[optind], &err) < 0 ? rl_cli_fail(&err) : 0;
}

static int oci_state(int argc, char **argv)
{
    if (getopt_long(argc, argv, "+", (struct option[]){{0}}, NULL) != -1)
        return bad_flag("oci state");
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

static int oci_kill(int argc, char **argv)
{
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {0}};
    bool all = false;
    int c;
    while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
        if (c != 'a') return bad_flag("oci kill");
        all = true;
    }
    NEED_ID("kill");
    const char *id = argv[optind];
    const char *sname = optind + 1 < argc ? argv[optind + 1] : "SIGTERM";
    int sig = rl_signal_parse(sname);
    if (sig < 0) return rl_cli_usage("oci kill", "invalid signal '%s'", sname);
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_kill(g.root, id, sig, all, &err) < 0 ? rl_cli_fail(&err) : 0;
}

static int oci_delete(int argc, char **argv)
{
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
    bool force = false;
    int c;
    while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
        if (c != 'f') return bad_flag("oci delete");
        force = true;
    }
    NEED_ID("delete");
    rl_error_t err = RL_ERROR_INIT;
    return rl_container_delete(g.root, argv[optind], force, &err) < 0 ? rl_cli_fail(&err) : 0;
}

static void push(char ***v, const char *s)
{
    size_t n = rl_strv_len(*v);
    *v = xreallocarray(*v, n + 2, sizeof **v);
    (*v)[n] = xstrdup(s);
    (*v)[n + 1] = NULL;
}

static int oci_exec(int argc, char **argv)
{
    static const struct option opts[] = {
        {"process", required_argument, NULL, 'p'},
        {"tty", no_argument, NULL, 't'},
        {"detach", no_argument, NULL, 'd'},
        {"pid-file", required_argument, NULL, 'P'},
        {"console-socket", required_argument, NULL, 'c'},
        {"cwd", required_argument, NULL, 'w'},
        {"env", required_argument, NULL, 'e'},
        {"user", required_argument, NULL, 'u'},
        {"cap", required_argument, NULL, 'C'},
        {"no-new-privs", no_argument, NULL, 'n'},
        {"preserve-fds", required_argument, NULL, 'f'},
        {"additional-gids", required_argument, NULL, 'g'},
        {"process-label", required_argument, NULL, 'L'},
        {"apparmor", required_argument, NULL, 'A'},
        {0},
    };
    rl_exec_opts_t o = {.root = g.root};
    rl_autostrv char **env = xcalloc(1, sizeof(char *)), **caps = xcalloc(1, sizeof(char *)),
                     **gids = xcalloc(1, sizeof(char *));
    int c;
    while ((c = getopt_long(argc, argv, "+p:tdw:e:u:c:g:", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o.process_file = optarg;
            break;
        case 't':
            o.tty = o.tty_set = true;
            break;
        case 'd':
            o.detach = true;
            break;
        case 'P':
            o.pid_file = optarg;
            break;
        case 'c':
            o.console_socket = optarg;
            break;
        case 'w':
            o.cwd = optarg;
            break;
        case 'e':
            push(&env, optarg);
            break;
        case 'u':
            o.user = optarg;
            break;
        case 'C':
            push(&caps, optarg);
            break;
        case 'g':
            push(&gids, optarg);
            break;
        case 'n':
            o.no_new_privs = true;
            break;
        case 'f':
            if ((o.preserve_fds = rl_cli_parse_uint("--preserve-fds", optarg, 65536)) < 0)
                return RL_EXIT_FAILURE;
            break;
        case 'L':
        case 'A':
            break; /* SELinux/AppArmor labels: not on this platform */
        default:
            return bad_flag("oci exec");
        }
    }
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

static int oci_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'}, {"format", required_argument, NULL, 'f'}, {0}};
    bool quiet = false, json = false;
    int c;
    while ((c = getopt_long(argc, argv, "+qf:", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = true;
        else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
            json = !strcmp(optarg, "json");
        else if (c == 'f')
            return rl_cli_usage("oci list", "--format: '%s' is not table or json", optarg);
        else
            return bad_flag("oci list");
    }
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

static int oci_features(int argc, char **argv)
{
    (void)argc, (void)argv;
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

static int oci_spec(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rootless", no_argument, NULL, 'r'}, {"bundle", required_argument, NULL, 'b'}, {0}};
    bool rootless = geteuid() != 0;
    const char *bundle = ".";
    int c;
    while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
        if (c == 'r')
            rootless = true;
        else if (c == 'b')
            bundle = optarg;
        else
            return bad_flag("oci spec");
    }
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
    {"create", oci_create, "create a container from a bundle (it waits for start)"},
    {"start", oci_start, "start a created container"},
    {"run", oci_run, "create and start a container (foreground unless --detach)"},
    {"state", oci_state, "print the state of a container (runtime-spec JSON)"},
    {"kill", oci_kill, "send a signal (default SIGTERM) to a container"},
    {"delete", oci_delete, "delete a stopped container (--force: any)"},
    {"exec", oci_exec, "run a new process in a container"},
    {"list", oci_list, "list containers"},
    {"features", oci_features, "print what this runtime supports (JSON)"},
    {"spec", oci_spec, "write a default config.json"},
};

static void oci_usage(FILE *f)
{
    fprintf(f, "usage: rl oci [--root DIR] [--log FILE] [--log-format text|json] [--debug] "
               "COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof oci_verbs / sizeof oci_verbs[0]; i++)
        fprintf(f, "  %-9s %s\n", oci_verbs[i].name, oci_verbs[i].help);
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
            rl_cmd_version(0, NULL);
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
