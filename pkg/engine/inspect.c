#include "inspect.h"

#include <stdio.h>
#include <string.h>

#include "ctr.h"
#include "inspect_net.h"
#include "pkg/monitor/attach.h"
#include "pkg/monitor/restart.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define STR(s)       json_object_new_string((s) ? (s) : "")

/* a member of the spec, taken (a new reference), or NULL */
static json_object *take(json_object *o, const char *k)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, k, &v) ? json_object_get(v) : NULL;
}

static json_object *state_json(const rl_ctr_state_t *st)
{
    rl_ctr_status_t live = rl_ctr_state_live(st);
    bool restarting = live != RL_CTR_RUNNING && rl_ctr_monitor_alive(st) && !st->stop_requested;
    json_object *o = json_object_new_object();
    ADD(o, "Status", STR(rl_ctr_status_name(live)));
    ADD(o, "Running", json_object_new_boolean(live == RL_CTR_RUNNING));
    ADD(o, "Paused", json_object_new_boolean(false));
    ADD(o, "Restarting", json_object_new_boolean(restarting));
    ADD(o, "OOMKilled", json_object_new_boolean(false));
    ADD(o, "Dead", json_object_new_boolean(false));
    ADD(o, "Pid", json_object_new_int(live == RL_CTR_RUNNING ? st->pid : 0));
    ADD(o, "ConmonPid", json_object_new_int(rl_ctr_monitor_alive(st) ? st->monitor_pid : 0));
    ADD(o, "ExitCode", json_object_new_int(st->exit_code < 0 ? 0 : st->exit_code));
    ADD(o, "Error", STR(NULL));
    ADD(o, "StartedAt", STR(st->started_at ? st->started_at : "0001-01-01T00:00:00Z"));
    ADD(o, "FinishedAt", STR(st->finished_at ? st->finished_at : "0001-01-01T00:00:00Z"));
    return o;
}

/* the mounts the user asked for: not the ones every container gets */
static bool default_mount(const char *dst)
{
    static const char *const d[] = {"/proc",          "/dev",
                                    "/dev/pts",       "/dev/shm",
                                    "/dev/mqueue",    "/sys",
                                    "/sys/fs/cgroup", "/etc/passwd",
                                    "/etc/group",     "/etc/resolv.conf",
                                    "/etc/hosts",     "/etc/hostname",
                                    "/run/rl-init",   "/run/notify/notify.sock"};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (!strcmp(dst, d[i])) return true;
    return false;
}

static json_object *mounts_json(json_object *spec)
{
    json_object *out = json_object_new_array(), *mounts = NULL;
    if (!spec || !json_object_object_get_ex(spec, "mounts", &mounts)) return out;
    for (size_t i = 0; i < json_object_array_length(mounts); i++) {
        json_object *m = json_object_array_get_idx(mounts, i), *v;
        const char *dst =
            json_object_object_get_ex(m, "destination", &v) ? json_object_get_string(v) : "";
        const char *type =
            json_object_object_get_ex(m, "type", &v) ? json_object_get_string(v) : "";
        const char *src =
            json_object_object_get_ex(m, "source", &v) ? json_object_get_string(v) : "";
        if (default_mount(dst)) continue;
        json_object *opts = take(m, "options");
        bool ro = false;
        for (size_t k = 0; opts && k < json_object_array_length(opts); k++)
            ro |= !strcmp(json_object_get_string(json_object_array_get_idx(opts, k)), "ro");
        json_object *o = json_object_new_object();
        ADD(o, "Type", STR(type));
        ADD(o, "Source", STR(src));
        ADD(o, "Destination", STR(dst));
        ADD(o, "Driver", STR(NULL));
        ADD(o, "Mode", STR(NULL));
        ADD(o, "Options", opts ? opts : json_object_new_array());
        ADD(o, "RW", json_object_new_boolean(!ro));
        ADD(o, "Propagation", STR(strcmp(type, "bind") ? "" : "rprivate"));
        json_object_array_add(out, o);
    }
    return out;
}

static json_object *config_json(const rl_ctr_rec_t *r, json_object *spec, json_object *proc)
{
    json_object *o = json_object_new_object(), *ann = NULL, *v = NULL, *user = NULL;
    json_object_object_get_ex(spec, "annotations", &ann);
    ADD(o, "Hostname", take(spec, "hostname"));
    char who[32] = "";
    if (proc && json_object_object_get_ex(proc, "user", &user)) {
        json_object *uid = NULL, *gid = NULL;
        json_object_object_get_ex(user, "uid", &uid);
        json_object_object_get_ex(user, "gid", &gid);
        snprintf(who, sizeof who, "%d:%d", json_object_get_int(uid), json_object_get_int(gid));
    }
    ADD(o, "User", json_object_new_string(who));
    ADD(o, "Env", take(proc, "env"));
    ADD(o, "Cmd", take(proc, "args"));
    ADD(o, "Image", STR(r->image_name ? r->image_name : r->image_id));
    ADD(o, "WorkingDir", take(proc, "cwd"));
    ADD(o, "Labels", json_object_new_object());
    ADD(o, "Annotations", ann ? json_object_get(ann) : json_object_new_object());
    const char *sig =
        ann && json_object_object_get_ex(ann, "org.opencontainers.image.stopSignal", &v)
            ? json_object_get_string(v)
            : "SIGTERM";
    ADD(o, "StopSignal", STR(sig));
    ADD(o, "Tty", json_object_new_boolean(r->tty));
    ADD(o, "OpenStdin", json_object_new_boolean(r->interactive));
    ADD(o, "SdNotifyMode", STR(r->sdnotify ? r->sdnotify : "container"));
    return o;
}

static json_object *host_config_json(const rl_ctr_rec_t *r, json_object *spec)
{
    json_object *o = json_object_new_object(), *rp = json_object_new_object();
    rl_restart_t pol = {0};
    rl_error_t e = RL_ERROR_INIT;
    if (rl_restart_parse(r->restart, &pol, &e) < 0) rl_error_clear(&e);
    static const char *const names[] = {"", "on-failure", "always"};
    ADD(rp, "Name",
        STR(r->restart && !strcmp(r->restart, "unless-stopped") ? "unless-stopped"
                                                                : names[pol.kind]));
    ADD(rp, "MaximumRetryCount", json_object_new_int(pol.max));
    ADD(o, "RestartPolicy", rp);
    json_object *lc = json_object_new_object();
    ADD(lc, "Type", STR(r->log_driver ? r->log_driver : "k8s-file"));
    char size[32] = "";
    if (r->log_max_size) snprintf(size, sizeof size, "%lldB", r->log_max_size);
    ADD(lc, "Size", json_object_new_string(size));
    ADD(o, "LogConfig", lc);
    ADD(o, "AutoRemove", json_object_new_boolean(r->ephemeral));
    json_object *root = NULL, *ro = NULL;
    if (json_object_object_get_ex(spec, "root", &root))
        json_object_object_get_ex(root, "readonly", &ro);
    ADD(o, "ReadonlyRootfs", json_object_new_boolean(ro && json_object_get_boolean(ro)));
    ADD(o, "NetworkMode", rl_engine_inspect_netmode(r));
    ADD(o, "PortBindings", rl_engine_inspect_ports(r->ports));
    ADD(o, "UsernsMode", STR(r->userns ? r->userns : ""));
    return o;
}

json_object *rl_engine_ctr_inspect_json(rl_store_t *s, const char *id, rl_error_t *err)
{
    rl_ctr_rec_t r;
    rl_ctr_state_t st;
    if (rl_engine_ctr_get(s, id, &r, &st, err) < 0) return NULL;
    rl_autofree char *sp = rl_store_path(s, "containers/%s/config.json", id);
    rl_autojson json_object *spec = rl_json_parse_file(sp, 1 << 22, err);
    if (!spec) {
        rl_ctr_rec_clear(&r), rl_ctr_state_clear(&st);
        return NULL;
    }
    json_object *proc = NULL, *args = NULL, *o = json_object_new_object();
    json_object_object_get_ex(spec, "process", &proc);
    json_object_object_get_ex(proc, "args", &args);
    ADD(o, "Id", STR(r.id));
    ADD(o, "Created", STR(r.created));
    ADD(o, "Path", args ? json_object_get(json_object_array_get_idx(args, 0)) : STR(NULL));
    json_object *rest = json_object_new_array();
    for (size_t i = 1; args && i < json_object_array_length(args); i++)
        json_object_array_add(rest, json_object_get(json_object_array_get_idx(args, i)));
    ADD(o, "Args", rest);
    ADD(o, "State", state_json(&st));
    ADD(o, "Image", STR(r.image_id));
    ADD(o, "ImageName", STR(r.image_name));
    ADD(o, "Name", STR(r.name));
    ADD(o, "RestartCount", json_object_new_int(st.restarts));
    ADD(o, "Driver", STR(r.driver));
    rl_autofree char *dir = rl_store_path(s, "containers/%s", id);
    rl_autofree char *log = xasprintf("%s/ctr.log", dir);
    ADD(o, "LogPath", STR(log));
    ADD(o, "PidFile", STR(r.pidfile));
    ADD(o, "ConmonPidFile", STR(r.conmon_pidfile));
    rl_error_t e = RL_ERROR_INIT;
    rl_autofree char *sock = rl_attach_path(id, false, &e);
    rl_error_clear(&e);
    ADD(o, "AttachSocket", STR(sock));
    ADD(o, "Mounts", mounts_json(spec));
    ADD(o, "Config", config_json(&r, spec, proc));
    ADD(o, "HostConfig", host_config_json(&r, spec));
    ADD(o, "NetworkSettings", rl_engine_inspect_network(&r, &st));
    rl_ctr_rec_clear(&r);
    rl_ctr_state_clear(&st);
    return o;
}
