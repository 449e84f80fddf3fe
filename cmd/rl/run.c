/* SPDX-License-Identifier: Apache-2.0 */
/* `rl run` and `rl create`: podman's flags → pkg/engine/run. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/network/netmode.h"
#include "pkg/network/ports.h"
#include "pkg/engine/run.h"
#include "pkg/monitor/detachkeys.h"
#include "pkg/monitor/log.h"
#include "pkg/monitor/restart.h"
#include "pkg/util/phase.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"
#include "storage/containers.h"

enum {
    O_RM = 256,
    O_NAME,
    O_ENV_FILE,
    O_ENTRYPOINT,
    O_MOUNT,
    O_TMPFS,
    O_READ_ONLY,
    O_HOSTNAME,
    O_CAP_ADD,
    O_CAP_DROP,
    O_SECURITY_OPT,
    O_PRIVILEGED,
    O_ULIMIT,
    O_USERNS,
    O_PID,
    O_IPC,
    O_UTS,
    O_NETWORK,
    O_DNS,
    O_DNS_SEARCH,
    O_DNS_OPTION,
    O_ADD_HOST,
    O_NO_HOSTS,
    O_EXPOSE,
    O_PULL,
    O_QUIET,
    O_LOG_DRIVER,
    O_LOG_OPT,
    O_RESTART,
    O_SDNOTIFY,
    O_PIDFILE,
    O_CONMON_PIDFILE,
    O_INIT,
    O_INIT_PATH,
    O_SIG_PROXY,
    O_DETACH_KEYS,
};

static const struct option run_opts[] = {
    {"rm", no_argument, NULL, O_RM},
    {"name", required_argument, NULL, O_NAME},
    {"env", required_argument, NULL, 'e'},
    {"env-file", required_argument, NULL, O_ENV_FILE},
    {"workdir", required_argument, NULL, 'w'},
    {"user", required_argument, NULL, 'u'},
    {"entrypoint", required_argument, NULL, O_ENTRYPOINT},
    {"volume", required_argument, NULL, 'v'},
    {"mount", required_argument, NULL, O_MOUNT},
    {"tmpfs", required_argument, NULL, O_TMPFS},
    {"read-only", no_argument, NULL, O_READ_ONLY},
    {"hostname", required_argument, NULL, O_HOSTNAME},
    {"cap-add", required_argument, NULL, O_CAP_ADD},
    {"cap-drop", required_argument, NULL, O_CAP_DROP},
    {"security-opt", required_argument, NULL, O_SECURITY_OPT},
    {"privileged", no_argument, NULL, O_PRIVILEGED},
    {"ulimit", required_argument, NULL, O_ULIMIT},
    {"userns", required_argument, NULL, O_USERNS},
    {"pid", required_argument, NULL, O_PID},
    {"ipc", required_argument, NULL, O_IPC},
    {"uts", required_argument, NULL, O_UTS},
    {"network", required_argument, NULL, O_NETWORK},
    {"net", required_argument, NULL, O_NETWORK},
    {"dns", required_argument, NULL, O_DNS},
    {"dns-search", required_argument, NULL, O_DNS_SEARCH},
    {"dns-option", required_argument, NULL, O_DNS_OPTION},
    {"dns-opt", required_argument, NULL, O_DNS_OPTION},
    {"add-host", required_argument, NULL, O_ADD_HOST},
    {"no-hosts", no_argument, NULL, O_NO_HOSTS},
    {"publish", required_argument, NULL, 'p'},
    {"publish-all", no_argument, NULL, 'P'},
    {"expose", required_argument, NULL, O_EXPOSE},
    {"pull", required_argument, NULL, O_PULL},
    {"tty", no_argument, NULL, 't'},
    {"interactive", no_argument, NULL, 'i'},
    {"quiet", no_argument, NULL, O_QUIET},
    {"detach", no_argument, NULL, 'd'},
    {"log-driver", required_argument, NULL, O_LOG_DRIVER},
    {"log-opt", required_argument, NULL, O_LOG_OPT},
    {"restart", required_argument, NULL, O_RESTART},
    {"sdnotify", required_argument, NULL, O_SDNOTIFY},
    {"pidfile", required_argument, NULL, O_PIDFILE},
    {"conmon-pidfile", required_argument, NULL, O_CONMON_PIDFILE},
    {"init", no_argument, NULL, O_INIT},
    {"init-path", required_argument, NULL, O_INIT_PATH},
    {"sig-proxy", optional_argument, NULL, O_SIG_PROXY},
    {"detach-keys", required_argument, NULL, O_DETACH_KEYS},
    {0},
};

static int security_opt(rl_spec_run_opts_t *o, const char *v)
{
    if (!strncmp(v, "seccomp=", 8)) {
        o->seccomp = (char *)v + 8;
        return 0;
    }
    if (!strcmp(v, "no-new-privileges") || !strcmp(v, "no-new-privileges=true")) {
        o->no_new_privs = true;
        return 0;
    }
    if (!strcmp(v, "no-new-privileges=false")) return o->no_new_privs = false, 0;
    if (!strncmp(v, "label=", 6) || !strncmp(v, "apparmor=", 9)) return 0; /* not on this host */
    return rl_cli_usage("--security-opt", "'%s': use seccomp=FILE|unconfined or no-new-privileges",
                        v);
}

/* A path for the monitor, which may write it later from anywhere. */
static const char *absolute(const char *p)
{
    if (p[0] == '/') return p;
    static char *kept[4];
    static size_t n;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || n == 4) return p;
    return kept[n++] = xasprintf("%s/%s", cwd, p);
}

/* What the monitor does: --restart, --sdnotify, pid files, --init,
 * signals and detach keys. */
static int parse_monitor_opt(int c, rl_engine_run_t *r)
{
    rl_error_t err = RL_ERROR_INIT;
    const char *verb = r->create_only ? "create" : "run";
    switch (c) {
    case O_RESTART: {
        rl_mon_restart_t rp;
        if (rl_mon_restart_parse(optarg, &rp, &err) < 0) return rl_cli_fail(&err);
        r->restart = rp.kind == RL_RESTART_NO ? NULL : optarg;
        break;
    }
    case O_SDNOTIFY:
        if (strcmp(optarg, "container") && strcmp(optarg, "conmon") && strcmp(optarg, "ignore"))
            return rl_cli_usage(verb, "--sdnotify '%s': use container, conmon or ignore", optarg);
        r->sdnotify = optarg;
        break;
    case O_PIDFILE:
        r->pidfile = absolute(optarg);
        break;
    case O_CONMON_PIDFILE:
        r->conmon_pidfile = absolute(optarg);
        break;
    case O_INIT:
        r->init = true;
        break;
    case O_INIT_PATH:
        r->init_path = optarg;
        break;
    case O_SIG_PROXY:
        if (optarg && strcmp(optarg, "true") && strcmp(optarg, "false"))
            return rl_cli_usage(verb, "--sig-proxy '%s': use true or false", optarg);
        r->io.no_sig_proxy = optarg && !strcmp(optarg, "false");
        break;
    case O_DETACH_KEYS: {
        rl_mon_detach_keys_t k;
        if (rl_mon_detach_keys_parse(optarg, &k, &err) < 0) return rl_cli_fail(&err);
        r->io.detach_keys = optarg;
        break;
    }
    }
    return 0;
}

static int parse_one(int c, rl_engine_run_t *r)
{
    rl_spec_run_opts_t *o = &r->opts;
    rl_error_t err = RL_ERROR_INIT;
    switch (c) {
    case O_RM:
        r->rm = true;
        break;
    case O_NAME:
        if (rl_ctr_name_check(optarg, &err) < 0) return rl_cli_fail(&err);
        o->name = optarg;
        break;
    case 'e':
        rl_strv_push(&o->env, xstrdup(optarg));
        break;
    case O_ENV_FILE:
        rl_strv_push(&o->env_files, xstrdup(optarg));
        break;
    case 'w':
        o->workdir = optarg;
        break;
    case 'u':
        o->user = optarg;
        break;
    case O_ENTRYPOINT:
        o->entrypoint = optarg;
        break;
    case 'v':
        rl_strv_push(&o->volumes, xstrdup(optarg));
        break;
    case O_MOUNT:
        rl_strv_push(&o->mounts, xstrdup(optarg));
        break;
    case O_TMPFS:
        rl_strv_push(&o->tmpfs, xstrdup(optarg));
        break;
    case O_READ_ONLY:
        o->read_only = true;
        break;
    case O_HOSTNAME:
        o->hostname = optarg;
        break;
    case O_CAP_ADD:
        rl_strv_push(&o->cap_add, xstrdup(optarg));
        break;
    case O_CAP_DROP:
        rl_strv_push(&o->cap_drop, xstrdup(optarg));
        break;
    case O_SECURITY_OPT:
        return security_opt(o, optarg);
    case O_PRIVILEGED:
        o->privileged = true;
        break;
    case O_ULIMIT:
        rl_strv_push(&o->ulimits, xstrdup(optarg));
        break;
    case O_USERNS:
        o->userns = optarg;
        break;
    case O_PID:
        o->pid = optarg;
        break;
    case O_IPC:
        o->ipc = optarg;
        break;
    case O_UTS:
        o->uts = optarg;
        break;
    case O_DNS:
        rl_strv_push(&o->dns, xstrdup(optarg));
        break;
    case O_DNS_SEARCH:
        rl_strv_push(&o->dns_search, xstrdup(optarg));
        break;
    case O_DNS_OPTION:
        rl_strv_push(&o->dns_opts, xstrdup(optarg));
        break;
    case O_ADD_HOST:
        rl_strv_push(&o->add_hosts, xstrdup(optarg));
        break;
    case O_NO_HOSTS:
        o->no_hosts = true;
        break;
    case 'p':
    case O_EXPOSE: {
        rl_net_ports_t check = {0};
        int bad = c == 'p' ? rl_net_ports_parse(&check, optarg, &err)
                           : rl_net_ports_parse_exposed(&check, optarg, &err);
        rl_net_ports_clear(&check);
        if (bad < 0) return rl_cli_fail(&err);
        rl_strv_push(c == 'p' ? &r->publish : &r->expose, xstrdup(optarg));
        break;
    }
    case 'P':
        r->publish_all = true;
        break;
    case O_NETWORK: {
        rl_net_mode_t m;
        if (rl_net_mode_parse(optarg, &m, &err) < 0) return rl_cli_fail(&err);
        o->network = optarg;
        break;
    }
    case O_PULL:
        if (rl_engine_pull_policy_parse(optarg, &r->pull, &err) < 0) return rl_cli_fail(&err);
        break;
    case 't':
        o->tty = true;
        break;
    case 'i':
        o->interactive = true;
        break;
    case O_QUIET:
        r->progress = NULL; /* a pull says nothing */
        break;
    case 'd':
        r->io.detach = true;
        break;
    case O_LOG_DRIVER: {
        rl_mon_log_driver_t d;
        if (rl_mon_log_driver_parse(optarg, &d, &err) < 0) return rl_cli_fail(&err);
        r->log_driver = optarg;
        break;
    }
    case O_LOG_OPT: {
        int64_t max;
        if (rl_mon_log_opt_parse(optarg, &max, &err) < 0) return rl_cli_fail(&err);
        r->log_max_size = max;
        break;
    }
    case O_RESTART:
    case O_SDNOTIFY:
    case O_PIDFILE:
    case O_CONMON_PIDFILE:
    case O_INIT:
    case O_INIT_PATH:
    case O_SIG_PROXY:
    case O_DETACH_KEYS:
        return parse_monitor_opt(c, r);
    default:
        return -1; /* the caller names the option */
    }
    return 0;
}

static void run_clear(rl_engine_run_t *r)
{
    rl_spec_run_opts_clear(&r->opts);
    rl_strv_free(r->publish), rl_strv_free(r->expose);
}

static int run_or_create(int argc, char **argv, bool create)
{
    rl_cli_progress_t progress;
    rl_engine_run_t r = {.create_only = create,
                         .storage_driver = rl_global.storage_driver,
                         .progress = rl_cli_progress(&progress, false)};
    int c, rc = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "+e:w:u:v:p:Ptid", run_opts, NULL)) != -1)
        if ((rc = parse_one(c, &r)) < 0) rc = rl_cli_bad_option(create ? "create" : "run", argv);
    if (rc == 0 && r.io.detach && r.log_driver && !strcmp(r.log_driver, "passthrough"))
        rc = rl_cli_usage("run", "--log-driver passthrough: only for a container in the "
                                 "foreground (drop -d)");
    if (rc == 0 && r.rm && r.restart)
        rc = rl_cli_usage(create ? "create" : "run",
                          "--rm and --restart=%s conflict: a container removed when it exits "
                          "cannot restart",
                          r.restart);
    r.io.stdin_on = r.opts.interactive;
    if (rc == 0 && optind >= argc) rc = rl_cli_usage(create ? "create" : "run", "give an image");
    if (rc) {
        run_clear(&r);
        return rc;
    }
    r.image = argv[optind];
    for (int i = optind + 1; i < argc; i++)
        rl_strv_push(&r.opts.args, xstrdup(argv[i]));
    /* Without -i the container's stdin is /dev/null, as podman does. */
    if (!r.opts.interactive && !create) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) dup2(fd, STDIN_FILENO), close(fd);
    }
    rl_phase("run: options parsed");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return run_clear(&r), RL_EXIT_FAILURE;
    rl_phase("run: store opened");
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *id = NULL;
    int code = rl_engine_run(s, &r, &id, &err);
    rl_phase("run: done");
    run_clear(&r);
    if (code < 0) return rl_cli_fail(&err);
    if (create || r.io.detach) printf("%s\n", id);
    return code;
}

int rl_cmd_run(int argc, char **argv)
{
    return run_or_create(argc, argv, false);
}

int rl_cmd_create(int argc, char **argv)
{
    return run_or_create(argc, argv, true);
}
