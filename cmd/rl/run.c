/* SPDX-License-Identifier: Apache-2.0 */
/* `rl run` and `rl create`: podman's flags → pkg/engine/run. */
#include <fcntl.h>
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
#include "pkg/util/signame.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/xalloc.h"
#include "storage/containers.h"

typedef rl_engine_run_t run_t;

static const char *verb_of(const run_t *r)
{
    return r->create_only ? "create" : "run";
}

static int fail_with(rl_error_t *err)
{
    rl_cli_fail(err);
    return -1;
}

static int set_name(void *ctx, const char *v)
{
    rl_error_t err = RL_ERROR_INIT;
    if (rl_ctr_name_check(v, &err) < 0) return fail_with(&err);
    ((run_t *)ctx)->opts.name = (char *)v;
    return 0;
}

static int set_security_opt(void *ctx, const char *v)
{
    rl_spec_run_opts_t *o = &((run_t *)ctx)->opts;
    if (!strncmp(v, "seccomp=", 8)) return o->seccomp = (char *)v + 8, 0;
    if (!strcmp(v, "no-new-privileges") || !strcmp(v, "no-new-privileges=true"))
        return o->no_new_privs = true, 0;
    if (!strcmp(v, "no-new-privileges=false")) return o->no_new_privs = false, 0;
    if (!strncmp(v, "label=", 6) || !strncmp(v, "apparmor=", 9)) return 0; /* not on this host */
    rl_cli_usage("--security-opt", "'%s': use seccomp=FILE|unconfined or no-new-privileges", v);
    return -1;
}

static int set_network(void *ctx, const char *v)
{
    rl_net_mode_t m;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_net_mode_parse(v, &m, &err) < 0) return fail_with(&err);
    ((run_t *)ctx)->opts.network = (char *)v;
    return 0;
}

static int add_port(run_t *r, const char *v, bool published)
{
    rl_net_ports_t check = {0};
    rl_error_t err = RL_ERROR_INIT;
    int bad = published ? rl_net_ports_parse(&check, v, &err)
                        : rl_net_ports_parse_exposed(&check, v, &err);
    rl_net_ports_clear(&check);
    if (bad < 0) return fail_with(&err);
    rl_strv_push(published ? &r->publish : &r->expose, xstrdup(v));
    return 0;
}

static int set_publish(void *ctx, const char *v)
{
    return add_port(ctx, v, true);
}

static int set_expose(void *ctx, const char *v)
{
    return add_port(ctx, v, false);
}

static int set_pull(void *ctx, const char *v)
{
    rl_error_t err = RL_ERROR_INIT;
    if (rl_engine_pull_policy_parse(v, &((run_t *)ctx)->pull, &err) < 0) return fail_with(&err);
    return 0;
}

static int set_quiet(void *ctx, const char *v)
{
    (void)v;
    ((run_t *)ctx)->progress = NULL; /* a pull says nothing */
    return 0;
}

static int set_log_driver(void *ctx, const char *v)
{
    rl_error_t err = RL_ERROR_INIT;
    if (rl_ctr_log_driver_parse(v, &((run_t *)ctx)->log_driver, &err) < 0) return fail_with(&err);
    return 0;
}

static int set_log_opt(void *ctx, const char *v)
{
    int64_t max;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_mon_log_opt_parse(v, &max, &err) < 0) return fail_with(&err);
    ((run_t *)ctx)->log_max_size = max;
    return 0;
}

static int set_restart(void *ctx, const char *v)
{
    rl_error_t err = RL_ERROR_INIT;
    if (rl_ctr_restart_parse(v, &((run_t *)ctx)->restart, &err) < 0) return fail_with(&err);
    return 0;
}

static int set_sdnotify(void *ctx, const char *v)
{
    run_t *r = ctx;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_ctr_sdnotify_parse(v, &r->sdnotify, &err) < 0) {
        rl_cli_usage(verb_of(r), "%s", err.msg);
        rl_error_clear(&err);
        return -1;
    }
    return 0;
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

static int set_pidfile(void *ctx, const char *v)
{
    ((run_t *)ctx)->pidfile = absolute(v);
    return 0;
}

static int set_conmon_pidfile(void *ctx, const char *v)
{
    ((run_t *)ctx)->conmon_pidfile = absolute(v);
    return 0;
}

static int set_label(void *ctx, const char *v)
{
    if (!*v || *v == '=') {
        rl_cli_usage(verb_of(ctx), "--label '%s': give KEY or KEY=VALUE", v);
        return -1;
    }
    rl_strv_push(&((run_t *)ctx)->opts.labels, xstrdup(v));
    return 0;
}

/* --label-file: a KEY=VALUE per line; blank lines and # comments
 * skipped, as podman reads it. */
static int set_label_file(void *ctx, const char *v)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autostrv char **lines = NULL;
    if (rl_fs_read_lines(v, &lines, &err) < 0) {
        rl_cli_usage(verb_of(ctx), "--label-file %s: %s", v, err.msg);
        rl_error_clear(&err);
        return -1;
    }
    for (size_t i = 0; lines[i]; i++)
        if (set_label(ctx, lines[i]) < 0) return -1;
    return 0;
}

/* --stop-signal: kept as SIGNAME (inspect shows it so), or the number of
 * a signal without a name (real-time ones) */
static int set_stop_signal(void *ctx, const char *v)
{
    static char canon[32];
    int sig = rl_signal_parse(v);
    if (sig <= 0) {
        rl_cli_usage(verb_of(ctx), "--stop-signal '%s': not a signal name or number", v);
        return -1;
    }
    const char *name = rl_signal_name(sig);
    if (name)
        snprintf(canon, sizeof canon, "SIG%s", name);
    else
        snprintf(canon, sizeof canon, "%d", sig);
    ((run_t *)ctx)->opts.stop_signal = canon;
    return 0;
}

static int set_tls_verify(void *ctx, const char *v)
{
    run_t *r = ctx;
    r->tls_set = true;
    return rl_cli_parse_bool("--tls-verify", v, &r->tls_on);
}

static int set_stop_timeout(void *ctx, const char *v)
{
    run_t *r = ctx;
    if ((r->stop_timeout = rl_cli_parse_uint("--stop-timeout", v, 1 << 20)) < 0) return -1;
    r->has_stop_timeout = true;
    return 0;
}

/* podman's options that need what later versions bring: refused by name */
#define CGROUPS "resource limits (cgroups)"
#define LATER_RUN                                                                                  \
    RL_LATER("memory", 'm', "SIZE", CGROUPS), RL_LATER("memory-reservation", 0, "SIZE", CGROUPS),  \
        RL_LATER("memory-swap", 0, "SIZE", CGROUPS),                                               \
        RL_LATER("memory-swappiness", 0, "N", CGROUPS), RL_LATER("cpus", 0, "N", CGROUPS),         \
        RL_LATER("cpu-shares", 'c', "N", CGROUPS), RL_LATER("cpu-period", 0, "N", CGROUPS),        \
        RL_LATER("cpu-quota", 0, "N", CGROUPS), RL_LATER("cpu-rt-period", 0, "N", CGROUPS),        \
        RL_LATER("cpu-rt-runtime", 0, "N", CGROUPS), RL_LATER("cpuset-cpus", 0, "CPUS", CGROUPS),  \
        RL_LATER("cpuset-mems", 0, "NODES", CGROUPS), RL_LATER("pids-limit", 0, "N", CGROUPS),     \
        RL_LATER("blkio-weight", 0, "N", CGROUPS),                                                 \
        RL_LATER("blkio-weight-device", 0, "DEV:N", CGROUPS),                                      \
        RL_LATER("device-read-bps", 0, "DEV:RATE", CGROUPS),                                       \
        RL_LATER("device-read-iops", 0, "DEV:RATE", CGROUPS),                                      \
        RL_LATER("device-write-bps", 0, "DEV:RATE", CGROUPS),                                      \
        RL_LATER("device-write-iops", 0, "DEV:RATE", CGROUPS),                                     \
        RL_LATER("device-cgroup-rule", 0, "RULE", CGROUPS),                                        \
        RL_LATER("oom-kill-disable", 0, NULL, CGROUPS),                                            \
        RL_LATER("cgroup-conf", 0, "KEY=VALUE", CGROUPS),                                          \
        RL_LATER("cgroup-parent", 0, "PATH", CGROUPS), RL_LATER("cgroupns", 0, "MODE", CGROUPS),   \
        RL_LATER("cgroups", 0, "MODE", CGROUPS), RL_LATER("health-cmd", 0, "CMD", "healthchecks"), \
        RL_LATER("health-interval", 0, "DURATION", "healthchecks"),                                \
        RL_LATER("health-on-failure", 0, "ACTION", "healthchecks"),                                \
        RL_LATER("health-retries", 0, "N", "healthchecks"),                                        \
        RL_LATER("health-start-period", 0, "DURATION", "healthchecks"),                            \
        RL_LATER("health-timeout", 0, "DURATION", "healthchecks"),                                 \
        RL_LATER("no-healthcheck", 0, NULL, "healthchecks"),                                       \
        RL_LATER("systemd", 0, "true|false|always", "systemd mode"),                               \
        RL_LATER("pod", 0, "POD", "pods"), RL_LATER("pod-id-file", 0, "FILE", "pods"),             \
        RL_LATER("init-ctr", 0, "always|once", "pods"),                                            \
        RL_LATER("ip", 0, "IP", "networks (rl network create)"),                                   \
        RL_LATER("ip6", 0, "IP", "networks (rl network create)"),                                  \
        RL_LATER("mac-address", 0, "MAC", "networks (rl network create)"),                         \
        RL_LATER("network-alias", 0, "NAME", "networks (rl network create)"),                      \
        RL_LATER("volumes-from", 0, "CONTAINER", "named volumes"),                                 \
        RL_LATER("image-volume", 0, "bind|tmpfs|ignore", "named volumes"),                         \
        RL_LATER("secret", 0, "NAME", "secrets (rl secret)"),                                      \
        RL_LATER("authfile", 0, "FILE", "registry logins (rl login)")

#define O(field) opts.field
static const rl_cli_opt_t run_opts[] = {
    RL_FLAG("detach", 'd', run_t, io.detach, "run in the background and print its id"),
    RL_FLAG("interactive", 'i', run_t, O(interactive), "keep stdin open"),
    RL_FLAG("tty", 't', run_t, O(tty), "give the container a terminal"),
    RL_FLAG("rm", 0, run_t, rm, "remove the container when it exits"),
    RL_FN("name", 0, "NAME", set_name, "name the container"),
    RL_LIST("env", 'e', "KEY[=VALUE]", run_t, O(env), "set an environment variable"),
    RL_LIST("env-file", 0, "FILE", run_t, O(env_files), "read environment variables from FILE"),
    RL_STR("workdir", 'w', "DIR", run_t, O(workdir), "working directory in the container"),
    RL_STR("user", 'u', "USER[:GROUP]", run_t, O(user), "user to run as (name or id)"),
    RL_STR("entrypoint", 0, "CMD|JSON", run_t, O(entrypoint), "replace the image's entrypoint"),
    RL_LIST("volume", 'v', "SRC:DST[:OPTS]", run_t, O(volumes), "bind a host path in"),
    RL_LIST("mount", 0, "type=bind|tmpfs,...", run_t, O(mounts), "add a mount"),
    RL_LIST("tmpfs", 0, "DST[:OPTS]", run_t, O(tmpfs),
            "mount a tmpfs (the image's files copied up)"),
    RL_FLAG("read-only", 0, run_t, O(read_only), "mount the root read-only"),
    RL_STR("hostname", 0, "NAME", run_t, O(hostname), "the container's host name"),
    RL_LIST("cap-add", 0, "CAP", run_t, O(cap_add), "add a capability"),
    RL_LIST("cap-drop", 0, "CAP", run_t, O(cap_drop), "drop a capability"),
    RL_FN("security-opt", 0, "OPT", set_security_opt, "seccomp=FILE|unconfined, no-new-privileges"),
    RL_FLAG("privileged", 0, run_t, O(privileged), "every capability, no seccomp, host devices"),
    RL_LIST("ulimit", 0, "NAME=SOFT[:HARD]", run_t, O(ulimits), "set a resource limit"),
    RL_STR("userns", 0, "keep-id[:uid=N,gid=N]|host", run_t, O(userns), "user namespace mode"),
    RL_STR("pid", 0, "host", run_t, O(pid), "share the host's pid namespace"),
    RL_STR("ipc", 0, "host", run_t, O(ipc), "share the host's ipc namespace"),
    RL_STR("uts", 0, "host", run_t, O(uts), "share the host's uts namespace"),
    RL_FN("network", 0, "MODE", set_network, "slirp[:OPTS]|none|host|container:NAME"),
    RL_FN("net", 0, "MODE", set_network, NULL),
    RL_LIST("dns", 0, "IP", run_t, O(dns), "a DNS server for the container"),
    RL_LIST("dns-search", 0, "DOMAIN", run_t, O(dns_search), "a DNS search domain"),
    RL_LIST("dns-option", 0, "OPT", run_t, O(dns_opts), "a resolv.conf option"),
    RL_LIST("dns-opt", 0, "OPT", run_t, O(dns_opts), NULL),
    RL_LIST("add-host", 0, "NAME:IP", run_t, O(add_hosts), "add a line to /etc/hosts"),
    RL_FLAG("no-hosts", 0, run_t, O(no_hosts), "keep the image's /etc/hosts"),
    RL_FN("publish", 'p', "[IP:][HOST:]PORT[/PROTO]", set_publish, "publish a port"),
    RL_FLAG("publish-all", 'P', run_t, publish_all, "publish every exposed port"),
    RL_FN("expose", 0, "PORT[/PROTO]", set_expose, "expose a port"),
    RL_FN("pull", 0, "missing|always|never|newer", set_pull, "when to pull the image"),
    RL_FN("quiet", 'q', NULL, set_quiet, "say nothing while pulling"),
    RL_FN("log-driver", 0, "k8s-file|none|passthrough", set_log_driver, "where output goes"),
    RL_FN("log-opt", 0, "max-size=SIZE", set_log_opt, "log file options"),
    RL_FN("restart", 0, "no|on-failure[:N]|always|unless-stopped", set_restart, "restart policy"),
    RL_FN("sdnotify", 0, "container|conmon|ignore", set_sdnotify, "who tells systemd READY"),
    RL_FN("pidfile", 0, "FILE", set_pidfile, "write the container's pid there"),
    RL_FN("conmon-pidfile", 0, "FILE", set_conmon_pidfile, "write the monitor's pid there"),
    RL_FLAG("init", 0, run_t, init, "run an init (catatonit) as pid 1"),
    RL_STR("init-path", 0, "FILE", run_t, init_path, "the init to run"),
    RL_IO_OPTS(offsetof(run_t, io)),
    RL_FN("label", 'l', "KEY[=VALUE]", set_label, "set a label (an annotation of its spec)"),
    RL_STR("cidfile", 0, "FILE", run_t, cidfile, "write the container's id there (a new file)"),
    RL_FLAG("replace", 0, run_t, replace, "remove a container of the same --name first"),
    RL_FLAG("rmi", 0, run_t, rmi, "with --rm: remove the image too, unless others use it"),
    RL_FN("stop-timeout", 0, "SECONDS", set_stop_timeout, "what rl stop waits by default (10)"),
    RL_LIST("sysctl", 0, "KEY=VALUE", run_t, O(sysctls),
            "a namespaced sysctl (net.*, kernel.shm*, ...)"),
    RL_FLAG("env-host", 0, run_t, O(env_host), "our environment, over the image's"),
    RL_LIST("unsetenv", 0, "KEY", run_t, O(unsetenv),
            "not this one of the image's or rl's defaults"),
    RL_FLAG("unsetenv-all", 0, run_t, O(unsetenv_all), "none of the image's or rl's defaults"),
    RL_FN("stop-signal", 0, "SIGNAL", set_stop_signal, "what rl stop sends first (the image's)"),
    RL_FN("label-file", 0, "FILE", set_label_file, "read labels from FILE (KEY=VALUE lines)"),
    RL_PLATFORM_OPTS(run_t, platform),
    RL_FN_OPT("tls-verify", "BOOL", set_tls_verify, "HTTPS and its certificate (registries.conf)"),
    RL_IGNORED("disable-content-trust", 0, NULL, "docker's; no effect, as in podman"),
    LATER_RUN,
    RL_OPT_END,
};
#undef O

const rl_cli_cmd_t rl_cli_run = {"run", "run a command in a new container from an image",
                                 "IMAGE [COMMAND [ARG...]]", run_opts, false};
const rl_cli_cmd_t rl_cli_create = {"create",
                                    "create a container from an image (start it with rl start)",
                                    "IMAGE [COMMAND [ARG...]]", run_opts, false};

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
    int first = rl_cli_parse(create ? &rl_cli_create : &rl_cli_run, argc, argv, &r);
    int rc = first < 0 ? RL_EXIT_FAILURE : 0;
    if (rc == 0 && r.rmi && (r.io.detach || create))
        rc = rl_cli_usage(create ? "create" : "run",
                          "--rmi: only for a container in the foreground with --rm");
    if (rc == 0 && r.rmi) r.rm = true; /* --rmi implies --rm, as podman's */
    if (rc == 0 && r.io.detach && r.log_driver == RL_LOG_PASSTHROUGH)
        rc = rl_cli_usage("run", "--log-driver passthrough: only for a container in the "
                                 "foreground (drop -d)");
    if (rc == 0 && r.rm && r.restart.kind != RL_RESTART_NO) {
        rl_autofree char *policy = rl_ctr_restart_format(&r.restart);
        rc = rl_cli_usage(create ? "create" : "run",
                          "--rm and --restart=%s conflict: a container removed when it exits "
                          "cannot restart",
                          policy);
    }
    r.io.stdin_on = r.opts.interactive;
    if (rc == 0 && first >= argc) rc = rl_cli_usage(create ? "create" : "run", "give an image");
    if (rc) {
        run_clear(&r);
        return rc;
    }
    r.image = argv[first];
    for (int i = first + 1; i < argc; i++)
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
