/* SPDX-License-Identifier: Apache-2.0 */
#include "inspect.h"

#include <stdio.h>
#include <string.h>

#include "ctr.h"
#include "inspect_net.h"
#include "pkg/monitor/attach.h"
#include "pkg/monitor/restart.h"
#include "pkg/spec/spec.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define STR(s)       json_object_new_string((s) ? (s) : "")

static json_object *strv_or_null(char *const *v)
{
    return v ? rl_json_new_strv((const char *const *)v) : NULL;
}

static json_object *state_json(const rl_ctr_state_t *st)
{
    rl_ctr_status_t live = rl_ctr_state_live(st);
    bool restarting = live != RL_CTR_RUNNING && rl_ctr_monitor_alive(st) && !st->stop_requested;
    json_object *o = json_object_new_object();
    ADD(o, "Status", STR(rl_ctr_state_name(st)));
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

static json_object *mounts_json(const rl_spec_t *spec)
{
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const rl_spec_mount_t *m = &spec->mounts[i];
        const char *dst = m->destination, *type = m->type ? m->type : "";
        const char *src = m->source ? m->source : "";
        if (default_mount(dst)) continue;
        json_object *opts = strv_or_null(m->options);
        bool ro = rl_strv_contains(m->options, "ro");
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

static json_object *config_json(const rl_ctr_rec_t *r, const rl_spec_t *spec)
{
    const rl_spec_process_t *proc = spec->has_process ? &spec->process : NULL;
    json_object *o = json_object_new_object();
    ADD(o, "Hostname", spec->hostname ? json_object_new_string(spec->hostname) : NULL);
    char who[32] = "";
    if (proc) snprintf(who, sizeof who, "%u:%u", proc->user.uid, proc->user.gid);
    ADD(o, "User", json_object_new_string(who));
    ADD(o, "Env", proc ? strv_or_null(proc->env) : NULL);
    ADD(o, "Cmd", proc ? strv_or_null(proc->args) : NULL);
    ADD(o, "Image", STR(r->image_name ? r->image_name : r->image_id));
    ADD(o, "WorkingDir", proc && proc->cwd ? json_object_new_string(proc->cwd) : NULL);
    /* the image's labels and --label's: the annotations but the stop signal */
    json_object *labels = rl_spec_annotations_json(spec);
    json_object_object_del(labels, "org.opencontainers.image.stopSignal");
    ADD(o, "Labels", labels);
    ADD(o, "Annotations", rl_spec_annotations_json(spec));
    const char *sig = rl_spec_annotation(spec, "org.opencontainers.image.stopSignal");
    ADD(o, "StopSignal", STR(sig ? sig : "SIGTERM"));
    ADD(o, "Tty", json_object_new_boolean(r->tty));
    ADD(o, "OpenStdin", json_object_new_boolean(r->interactive));
    ADD(o, "SdNotifyMode", STR(rl_ctr_sdnotify_name(r->sdnotify)));
    return o;
}

static json_object *host_config_json(const rl_ctr_rec_t *r, const rl_spec_t *spec)
{
    json_object *o = json_object_new_object(), *rp = json_object_new_object();
    ADD(rp, "Name", STR(rl_ctr_restart_name(r->restart.kind)));
    ADD(rp, "MaximumRetryCount", json_object_new_int(r->restart.max));
    ADD(o, "RestartPolicy", rp);
    json_object *lc = json_object_new_object();
    ADD(lc, "Type", STR(rl_ctr_log_driver_name(r->log_driver)));
    char size[32] = "";
    if (r->log_max_size) snprintf(size, sizeof size, "%lldB", r->log_max_size);
    ADD(lc, "Size", json_object_new_string(size));
    ADD(o, "LogConfig", lc);
    ADD(o, "AutoRemove", json_object_new_boolean(r->ephemeral));
    ADD(o, "ReadonlyRootfs", json_object_new_boolean(spec->root_readonly));
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
    rl_autofree char *bundle = rl_ctr_path(s, id, NULL);
    rl_spec_t *spec = rl_spec_load(bundle, err);
    if (!spec) {
        rl_ctr_rec_clear(&r), rl_ctr_state_clear(&st);
        return NULL;
    }
    char **args = spec->has_process ? spec->process.args : NULL;
    json_object *o = json_object_new_object();
    ADD(o, "Id", STR(r.id));
    ADD(o, "Created", STR(r.created));
    ADD(o, "Path", args && args[0] ? json_object_new_string(args[0]) : STR(NULL));
    json_object *rest = json_object_new_array();
    for (size_t i = 1; args && args[0] && args[i]; i++)
        json_object_array_add(rest, json_object_new_string(args[i]));
    ADD(o, "Args", rest);
    ADD(o, "State", state_json(&st));
    ADD(o, "Image", STR(r.image_id));
    ADD(o, "ImageName", STR(r.image_name));
    ADD(o, "Name", STR(r.name));
    ADD(o, "RestartCount", json_object_new_int(st.restarts));
    ADD(o, "Driver", STR(r.driver));
    rl_autofree char *dir = rl_ctr_path(s, id, NULL);
    rl_autofree char *log = xasprintf("%s/ctr.log", dir);
    ADD(o, "LogPath", STR(log));
    ADD(o, "PidFile", STR(r.pidfile));
    ADD(o, "ConmonPidFile", STR(r.conmon_pidfile));
    rl_error_t e = RL_ERROR_INIT;
    rl_autofree char *sock = rl_mon_attach_path(id, false, &e);
    rl_error_clear(&e);
    ADD(o, "AttachSocket", STR(sock));
    ADD(o, "Mounts", mounts_json(spec));
    ADD(o, "Config", config_json(&r, spec));
    ADD(o, "HostConfig", host_config_json(&r, spec));
    ADD(o, "NetworkSettings", rl_engine_inspect_network(&r, &st));
    rl_spec_free(spec);
    rl_ctr_rec_clear(&r);
    rl_ctr_state_clear(&st);
    return o;
}
