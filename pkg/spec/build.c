/* SPDX-License-Identifier: Apache-2.0 */
/* config.json from image config + run options (see build.h). */
#include "build.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include "default.h"
#include "pkg/network/netmode.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "seccomp_profile.h"
#include "spec.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void rl_spec_run_opts_clear(rl_spec_run_opts_t *o)
{
    char ***vs[] = {&o->args,      &o->env,    &o->env_files,  &o->volumes,
                    &o->mounts,    &o->tmpfs,  &o->cap_add,    &o->cap_drop,
                    &o->ulimits,   &o->dns,    &o->dns_search, &o->dns_opts,
                    &o->add_hosts, &o->labels, &o->unsetenv,   &o->sysctls};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        rl_strv_free(*vs[i]), *vs[i] = NULL;
}

/* --entrypoint '["a","b"]' or 'a' (one word, as podman). */
static char **parse_entrypoint(const char *e, rl_error_t *err)
{
    char **v = NULL;
    if (e[0] == '[') {
        rl_autojson json_object *j = rl_json_parse(e, strlen(e), "--entrypoint", err);
        if (!j || !json_object_is_type(j, json_type_array))
            return rl_error_set(err, 0, "--entrypoint '%s': expected a JSON array of strings", e),
                   NULL;
        for (size_t i = 0; i < json_object_array_length(j); i++) {
            json_object *s = json_object_array_get_idx(j, i);
            if (!json_object_is_type(s, json_type_string)) {
                rl_strv_free(v);
                return rl_error_set(err, 0, "--entrypoint '%s': expected strings", e), NULL;
            }
            rl_strv_push(&v, xstrdup(json_object_get_string(s)));
        }
        return v ? v : xcalloc(1, sizeof(char *));
    }
    if (*e) rl_strv_push(&v, xstrdup(e));
    return v ? v : xcalloc(1, sizeof(char *));
}

char **rl_spec_command(const rl_image_config_t *img, const rl_spec_run_opts_t *o, rl_error_t *err)
{
    rl_autostrv char **ep = NULL;
    if (o->entrypoint) {
        if (!(ep = parse_entrypoint(o->entrypoint, err))) return NULL;
    } else if (img->entrypoint) {
        ep = rl_strv_dup(img->entrypoint);
    }
    /* podman: a user entrypoint drops the image's Cmd. */
    char *const *args = o->args && o->args[0] ? o->args : (o->entrypoint ? NULL : img->cmd);
    char **cmd = NULL;
    for (size_t i = 0; ep && ep[i]; i++)
        rl_strv_push(&cmd, xstrdup(ep[i]));
    for (size_t i = 0; args && args[i]; i++)
        rl_strv_push(&cmd, xstrdup(args[i]));
    if (!cmd)
        return rl_error_set(
                   err, 0,
                   "no command: the image has no Cmd or Entrypoint; give one after the image name"),
               NULL;
    return cmd;
}

/* Set KEY=VAL in env, replacing an earlier KEY. */
static void env_set(char ***env, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
    for (size_t i = 0; *env && (*env)[i]; i++) {
        if (!strncmp((*env)[i], kv, klen) && (*env)[i][klen] == '=') {
            free((*env)[i]);
            (*env)[i] = xstrdup(kv);
            return;
        }
    }
    rl_strv_push(env, xstrdup(kv));
}

static void env_unset(char **env, const char *key)
{
    size_t n = strlen(key), k = 0;
    for (size_t i = 0; env && env[i]; i++) {
        if (!strncmp(env[i], key, n) && env[i][n] == '=')
            free(env[i]);
        else
            env[k++] = env[i];
    }
    if (env) env[k] = NULL;
}

static bool env_has(char **env, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; env && env[i]; i++)
        if (!strncmp(env[i], key, n) && env[i][n] == '=') return true;
    return false;
}

/* KEY=VAL, or KEY alone: our value if we have one (podman skips it otherwise). */
static int env_user(char ***env, const char *what, const char *kv, rl_error_t *err)
{
    if (!*kv || *kv == '=') return rl_error_set(err, 0, "%s '%s': expected KEY=VALUE", what, kv);
    if (strchr(kv, '=')) return env_set(env, kv), 0;
    const char *v = getenv(kv);
    if (v) {
        rl_autofree char *s = xasprintf("%s=%s", kv, v);
        env_set(env, s);
    }
    return 0;
}

static int env_file(char ***env, const char *file, rl_error_t *err)
{
    rl_autostrv char **lines = NULL;
    if (rl_fs_read_lines(file, &lines, err) < 0) return rl_error_wrap(err, "--env-file");
    for (size_t i = 0; lines[i]; i++)
        if (env_user(env, "--env-file", lines[i], err) < 0) return rl_error_wrap(err, "'%s'", file);
    return 0;
}

int rl_spec_env_files(char ***env, char *const *files, rl_error_t *err)
{
    for (size_t i = 0; files && files[i]; i++)
        if (env_file(env, files[i], err) < 0) return -1;
    return 0;
}

char **rl_spec_env(const rl_image_config_t *img, const rl_spec_run_opts_t *o, const char *home,
                   const char *hostname, rl_error_t *err)
{
    char **env = NULL;
    env_set(&env, DEFAULT_PATH);
    for (size_t i = 0; img->env && img->env[i]; i++)
        env_set(&env, img->env[i]);
    for (char **h = environ; o->env_host && *h; h++)
        if (strchr(*h, '=') && **h != '=') env_set(&env, *h);
    if (!env_has(env, "TERM")) env_set(&env, "TERM=xterm"); /* podman's default, tty or not */
    env_set(&env, "container=rl");
    if (!env_has(env, "HOME")) {
        rl_autofree char *h = xasprintf("HOME=%s", home ? home : "/");
        env_set(&env, h);
    }
    if (o->unsetenv_all)
        rl_strv_free(env), env = xcalloc(1, sizeof(char *)); /* none, not an error */
    for (size_t i = 0; o->unsetenv && o->unsetenv[i]; i++)
        env_unset(env, o->unsetenv[i]);
    /* always there, as podman's */
    rl_autofree char *hn = xasprintf("HOSTNAME=%s", hostname);
    env_set(&env, hn);
    if (rl_spec_env_files(&env, o->env_files, err) < 0) return rl_strv_free(env), NULL;
    for (size_t i = 0; o->env && o->env[i]; i++)
        if (env_user(&env, "-e", o->env[i], err) < 0) return rl_strv_free(env), NULL;
    return env;
}

/* "net_admin" / "NET_ADMIN" / "CAP_NET_ADMIN" → "CAP_NET_ADMIN" */
static char *cap_name(const char *what, const char *c, rl_error_t *err)
{
    rl_autofree char *up = xasprintf("%s%s", strncasecmp(c, "CAP_", 4) ? "CAP_" : "", c);
    for (char *p = up; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (rl_spec_cap_from_name(up) < 0)
        return rl_error_set(err, 0, "%s '%s': unknown capability", what, c), NULL;
    return rl_steal_ptr(&up);
}

static char **all_caps(void)
{
    char **v = NULL;
    for (int i = 0; i <= CAP_LAST_CAP; i++) {
        char *n = cap_to_name(i);
        rl_autofree char *up = xasprintf("%s", n);
        cap_free(n);
        for (char *p = up; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        rl_strv_push(&v, rl_steal_ptr(&up));
    }
    return v;
}

static bool strv_has(char **v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static int drop_caps(char **caps, const char *what, rl_error_t *err)
{
    bool all = !strcasecmp(what, "all");
    rl_autofree char *c = all ? NULL : cap_name("--cap-drop", what, err);
    if (!all && !c) return -1;
    size_t k = 0;
    for (size_t j = 0; caps[j]; j++) {
        if (all || !strcmp(caps[j], c))
            free(caps[j]);
        else
            caps[k++] = caps[j];
    }
    caps[k] = NULL;
    return 0;
}

/* podman's order: the drops (ALL empties the set), then the adds. */
static char **build_caps(const rl_spec_run_opts_t *o, rl_error_t *err)
{
    char **caps = o->privileged ? all_caps() : rl_strv_dup((char *const *)rl_default_caps);
    for (size_t i = 0; o->cap_drop && o->cap_drop[i]; i++)
        if (drop_caps(caps, o->cap_drop[i], err) < 0) return rl_strv_free(caps), NULL;
    for (size_t i = 0; o->cap_add && o->cap_add[i]; i++) {
        if (!strcasecmp(o->cap_add[i], "all")) {
            rl_strv_free(caps);
            caps = all_caps();
            continue;
        }
        char *c = cap_name("--cap-add", o->cap_add[i], err);
        if (!c) return rl_strv_free(caps), NULL;
        if (strv_has(caps, c))
            free(c);
        else
            rl_strv_push(&caps, c);
    }
    return caps;
}

static int set_caps(json_object *proc, char **caps, bool root)
{
    json_object *c = json_object_new_object();
    json_object_object_add(c, "bounding", rl_json_new_strv((const char *const *)caps));
    /* podman: a non-root user keeps the bounding set only. */
    const char *const none[] = {NULL};
    const char *const *eff = root ? (const char *const *)caps : none;
    json_object_object_add(c, "effective", rl_json_new_strv(eff));
    json_object_object_add(c, "permitted", rl_json_new_strv(eff));
    json_object_object_add(proc, "capabilities", c);
    return 0;
}

static int parse_rlimit_value(const char *s, int64_t *v)
{
    if (!strcmp(s, "-1") || !strcmp(s, "unlimited")) return *v = -1, 0;
    char *end;
    long long n = strtoll(s, &end, 10);
    if (!*s || *end || n < 0) return -1;
    *v = n;
    return 0;
}

/* --ulimit nofile=1024[:2048] */
static int add_ulimits(json_object *proc, char **ulimits, rl_error_t *err)
{
    json_object *arr = json_object_new_array();
    json_object_object_add(proc, "rlimits", arr);
    for (size_t i = 0; ulimits && ulimits[i]; i++) {
        rl_autofree char *c = xstrdup(ulimits[i]);
        char *eq = strchr(c, '=');
        if (!eq)
            return rl_error_set(err, 0, "--ulimit '%s': expected NAME=SOFT[:HARD]", ulimits[i]);
        *eq++ = 0;
        char *hard = strchr(eq, ':');
        if (hard) *hard++ = 0;
        rl_autofree char *type = xasprintf("RLIMIT_%s", c);
        for (char *p = type; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        int64_t s, h;
        if (rl_spec_rlimit_from_name(type) < 0)
            return rl_error_set(err, 0, "--ulimit '%s': unknown limit '%s'", ulimits[i], c);
        if (parse_rlimit_value(eq, &s) < 0 || parse_rlimit_value(hard ? hard : eq, &h) < 0 ||
            (h != -1 && (s == -1 || s > h)))
            return rl_error_set(err, 0, "--ulimit '%s': bad value (soft must not exceed hard)",
                                ulimits[i]);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "type", json_object_new_string(type));
        json_object_object_add(r, "soft",
                               json_object_new_uint64(s < 0 ? RLIM_INFINITY : (uint64_t)s));
        json_object_object_add(r, "hard",
                               json_object_new_uint64(h < 0 ? RLIM_INFINITY : (uint64_t)h));
        json_object_array_add(arr, r);
    }
    return 0;
}

static void set_user(json_object *proc, const rl_image_user_t *u)
{
    json_object *user = json_object_new_object();
    json_object_object_add(user, "uid", json_object_new_int64(u->uid));
    json_object_object_add(user, "gid", json_object_new_int64(u->gid));
    if (u->n_groups) {
        json_object *g = json_object_new_array();
        for (size_t i = 0; i < u->n_groups; i++)
            json_object_array_add(g, json_object_new_int64(u->groups[i]));
        json_object_object_add(user, "additionalGids", g);
    }
    json_object_object_add(proc, "user", user);
}

static int build_process(json_object *spec, const rl_image_config_t *img,
                         const rl_spec_run_opts_t *o, const rl_image_user_t *u,
                         const char *hostname, char **caps, rl_error_t *err)
{
    json_object *proc = json_object_new_object();
    json_object_object_add(spec, "process", proc);
    rl_autostrv char **cmd = rl_spec_command(img, o, err);
    rl_autostrv char **env = cmd ? rl_spec_env(img, o, u->home, hostname, err) : NULL;
    if (!cmd || !env) return -1;
    json_object_object_add(proc, "terminal", json_object_new_boolean(o->tty));
    set_user(proc, u);
    json_object_object_add(proc, "args", rl_json_new_strv((const char *const *)cmd));
    json_object_object_add(proc, "env", rl_json_new_strv((const char *const *)env));
    const char *cwd =
        o->workdir ? o->workdir : (img->workdir && *img->workdir ? img->workdir : "/");
    if (cwd[0] != '/') return rl_error_set(err, 0, "-w '%s': must be an absolute path", cwd);
    json_object_object_add(proc, "cwd", json_object_new_string(cwd));
    set_caps(proc, caps, u->uid == 0);
    json_object_object_add(proc, "noNewPrivileges", json_object_new_boolean(o->no_new_privs));
    return add_ulimits(proc, o->ulimits, err);
}

/* Drop namespace type from linux.namespaces (shared with the host). */
static void drop_ns(json_object *lx, const char *type)
{
    json_object *arr = NULL, *out = json_object_new_array();
    json_object_object_get_ex(lx, "namespaces", &arr);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *n = json_object_array_get_idx(arr, i), *t;
        if (json_object_object_get_ex(n, "type", &t) && !strcmp(json_object_get_string(t), type))
            continue;
        json_object_array_add(out, json_object_get(n));
    }
    json_object_object_add(lx, "namespaces", out);
}

static bool has_ns(json_object *lx, const char *type)
{
    json_object *arr = NULL, *t;
    json_object_object_get_ex(lx, "namespaces", &arr);
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (json_object_object_get_ex(json_object_array_get_idx(arr, i), "type", &t) &&
            !strcmp(json_object_get_string(t), type))
            return true;
    return false;
}

/* The namespace a sysctl belongs to, or NULL: podman's list of the ones a
 * container may set (the others are the host's). */
static const char *sysctl_ns(const char *key)
{
    static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
                                      "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
                                      "kernel.shmmni", "kernel.shm_rmid_forced"};
    if (!strncmp(key, "net.", 4)) return "network";
    if (!strncmp(key, "fs.mqueue.", 10)) return "ipc";
    for (size_t i = 0; i < sizeof ipc / sizeof ipc[0]; i++)
        if (!strcmp(key, ipc[i])) return "ipc";
    if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname")) return "uts";
    return NULL;
}

/* --sysctl KEY=VALUE: into linux.sysctl (the runtime writes them in the
 * container's namespaces), over rl's own defaults. */
static int add_sysctls(json_object *lx, const rl_spec_run_opts_t *o, rl_error_t *err)
{
    for (size_t i = 0; o->sysctls && o->sysctls[i]; i++) {
        const char *kv = o->sysctls[i], *eq = strchr(kv, '=');
        if (!eq || eq == kv)
            return rl_error_setk(err, RL_ERR_INVALID, 0, "--sysctl '%s': expected KEY=VALUE", kv);
        rl_autofree char *key = xstrndup(kv, (size_t)(eq - kv));
        const char *ns = sysctl_ns(key);
        if (!ns)
            return rl_error_setk(err, RL_ERR_INVALID, 0,
                                 "--sysctl '%s': not a namespaced sysctl: it would be the host's",
                                 key);
        if (!has_ns(lx, ns))
            return rl_error_setk(err, RL_ERR_INVALID, 0,
                                 "--sysctl '%s': the container shares the host's %s namespace", key,
                                 ns);
        json_object *sysctl = NULL;
        if (!json_object_object_get_ex(lx, "sysctl", &sysctl))
            json_object_object_add(lx, "sysctl", sysctl = json_object_new_object());
        json_object_object_add(sysctl, key, json_object_new_string(eq + 1));
    }
    return 0;
}

/* Without its own pid/net/ipc namespace a rootless container may not
 * mount proc/sysfs/mqueue: bind the host's instead, as podman does. */
static void bind_instead(json_object *mounts, const char *dst)
{
    for (size_t i = 0; i < json_object_array_length(mounts); i++) {
        json_object *m = json_object_array_get_idx(mounts, i), *d;
        if (!json_object_object_get_ex(m, "destination", &d) ||
            strcmp(json_object_get_string(d), dst))
            continue;
        json_object_object_add(m, "type", json_object_new_string("bind"));
        json_object_object_add(m, "source", json_object_new_string(dst));
        const char *opts[] = {"rbind", "nosuid", "noexec", "nodev", NULL};
        json_object_object_add(m, "options", rl_json_new_strv(opts));
    }
}

static void drop_mount(json_object *mounts, const char *dst)
{
    for (size_t i = 0; i < json_object_array_length(mounts); i++) {
        json_object *m = json_object_array_get_idx(mounts, i), *d;
        if (json_object_object_get_ex(m, "destination", &d) &&
            !strcmp(json_object_get_string(d), dst)) {
            json_object_array_del_idx(mounts, i, 1);
            return;
        }
    }
}

static int host_mode(const char *flag, const char *v, rl_error_t *err)
{
    if (!v) return 0;
    if (!strcmp(v, "host")) return 1;
    if (!strcmp(v, "private")) return 0;
    return rl_error_set(err, 0, "%s '%s': use host or private", flag, v);
}

/* Rootless, the default ("host") is the user's own namespace: 0 → the
 * user, the rest → subordinate ids, which rl_spec_default already wrote
 * (podman's rootless default is the same). keep-id replaces them. */
static void set_idmaps(json_object *lx, const rl_spec_userns_maps_t *ids)
{
    if (!ids) return;
    json_object_object_add(lx, "uidMappings", rl_spec_idmaps_json(ids->uids, ids->n_uids));
    json_object_object_add(lx, "gidMappings", rl_spec_idmaps_json(ids->gids, ids->n_gids));
}

static int build_namespaces(json_object *spec, json_object *lx, const rl_spec_run_opts_t *o,
                            rl_error_t *err)
{
    json_object *mounts = NULL;
    json_object_object_get_ex(spec, "mounts", &mounts);
    int pid = host_mode("--pid", o->pid, err), ipc = host_mode("--ipc", o->ipc, err),
        uts = host_mode("--uts", o->uts, err);
    if (pid < 0 || ipc < 0 || uts < 0) return -1;
    if (pid) drop_ns(lx, "pid"), bind_instead(mounts, "/proc");
    if (ipc) {
        drop_ns(lx, "ipc");
        /* the host's mqueue if it has one mounted, else none */
        if (access("/dev/mqueue", F_OK) == 0)
            bind_instead(mounts, "/dev/mqueue");
        else
            drop_mount(mounts, "/dev/mqueue");
    }
    if (uts) drop_ns(lx, "uts"), json_object_object_del(spec, "hostname");
    rl_net_mode_t net;
    if (rl_net_mode_parse(o->network, &net, err) < 0) return -1;
    if (net.kind == RL_NET_HOST) {
        drop_ns(lx, "network"), bind_instead(mounts, "/sys");
        return 0;
    }
    /* container:ID: its user and network namespaces, joined at each start
     * (pkg/engine/launch.c); their settings are that container's */
    if (net.kind == RL_NET_CONTAINER) return 0;
    /* slirp and none: a new network namespace (the monitor adds slirp),
     * the container's own: any of its users may bind a low port (as
     * Docker allows), its root may ping (podman's default; the range can
     * only name gids mapped into the container) */
    json_object *sysctl = NULL;
    if (!json_object_object_get_ex(lx, "sysctl", &sysctl))
        json_object_object_add(lx, "sysctl", sysctl = json_object_new_object());
    json_object_object_add(sysctl, "net.ipv4.ip_unprivileged_port_start",
                           json_object_new_string("0"));
    json_object_object_add(sysctl, "net.ipv4.ping_group_range", json_object_new_string("0 0"));
    return 0;
}

static int build_security(json_object *lx, const rl_spec_run_opts_t *o, char **caps,
                          rl_error_t *err)
{
    if (o->privileged) {
        json_object_object_add(lx, "maskedPaths", json_object_new_array());
        json_object_object_add(lx, "readonlyPaths", json_object_new_array());
    }
    const char *sc = o->seccomp;
    if ((o->privileged && !sc) || (sc && !strcmp(sc, "unconfined"))) return 0;
    json_object *prof =
        sc ? rl_spec_seccomp_load(sc, caps, err) : rl_spec_seccomp_default(caps, err);
    if (!prof) return rl_error_wrap(err, "--security-opt seccomp");
    json_object_object_add(lx, "seccomp", prof);
    return 0;
}

/* The OCI image → runtime conversion: Labels and StopSignal become annotations
 * (the monitor reads the stop signal from there). */
static void add_annotations(json_object *spec, const rl_image_config_t *img,
                            const rl_spec_run_opts_t *o)
{
    char *const *labels = o->labels;
    const char *stop_signal = o->stop_signal ? o->stop_signal : img->stop_signal;
    json_object *a = json_object_new_object();
    if (img->labels) {
        json_object_object_foreach(img->labels, k, v)
        {
            json_object_object_add(a, k, json_object_get(v));
        }
    }
    for (size_t i = 0; labels && labels[i]; i++) {
        const char *eq = strchr(labels[i], '=');
        rl_autofree char *key =
            eq ? xstrndup(labels[i], (size_t)(eq - labels[i])) : xstrdup(labels[i]);
        json_object_object_add(a, key, json_object_new_string(eq ? eq + 1 : ""));
    }
    if (stop_signal)
        json_object_object_add(a, "org.opencontainers.image.stopSignal",
                               json_object_new_string(stop_signal));
    json_object_object_add(spec, "annotations", a);
}

json_object *rl_spec_build(const rl_image_config_t *img, const rl_spec_run_opts_t *o,
                           const rl_image_user_t *user, const rl_spec_userns_maps_t *ids,
                           const char *rootfs_path, const char *id, rl_error_t *err)
{
    rl_autojson json_object *spec = rl_spec_default(geteuid() != 0, err);
    if (!spec) return NULL;
    json_object *lx = NULL, *mounts = NULL, *root = json_object_new_object();
    json_object_object_get_ex(spec, "linux", &lx);
    json_object_object_get_ex(spec, "mounts", &mounts);
    json_object_object_add(root, "path", json_object_new_string(rootfs_path));
    json_object_object_add(root, "readonly", json_object_new_boolean(o->read_only));
    json_object_object_add(spec, "root", root);
    rl_autofree char *hostname = xstrdup(o->hostname ? o->hostname : "");
    if (!*hostname) free(hostname), hostname = xstrndup(id, 12);
    json_object_object_add(spec, "hostname", json_object_new_string(hostname));
    rl_autostrv char **caps = build_caps(o, err);
    if (!caps || build_process(spec, img, o, user, hostname, caps, err) < 0 ||
        rl_spec_add_user_mounts(mounts, o, err) < 0 || build_namespaces(spec, lx, o, err) < 0 ||
        add_sysctls(lx, o, err) < 0 || build_security(lx, o, caps, err) < 0)
        return NULL;
    set_idmaps(lx, ids);
    add_annotations(spec, img, o);
    return rl_steal_ptr(&spec);
}
