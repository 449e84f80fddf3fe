/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr_state.h"
#include "containers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "pkg/util/proc.h"
#include "pkg/util/lock.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"

static const char *const status_names[] = {"created", "running", "exited"};

const char *rl_ctr_status_name(rl_ctr_status_t s)
{
    return status_names[s];
}

const char *rl_ctr_state_name(const rl_ctr_state_t *st)
{
    rl_ctr_status_t live = rl_ctr_state_live(st);
    /* rl stop asked it to go and it has not yet: podman's "stopping" */
    if (live == RL_CTR_RUNNING && st->stop_requested) return "stopping";
    return status_names[live];
}

int rl_ctr_proc_identity(pid_t pid, unsigned long long *start, char boot_id[40])
{
    rl_proc_id_t id;
    int r = rl_proc_id_of(pid, &id);
    memcpy(boot_id, id.boot, sizeof id.boot);
    *start = id.start;
    return r;
}

static bool same_process(pid_t pid, unsigned long long start, const char *boot_id)
{
    rl_proc_id_t id = {.pid = pid, .start = start};
    snprintf(id.boot, sizeof id.boot, "%s", boot_id);
    /* a record always names its boot: an empty one matches none */
    return *boot_id && rl_proc_same(&id);
}

rl_ctr_status_t rl_ctr_state_live(const rl_ctr_state_t *st)
{
    if (st->status != RL_CTR_RUNNING) return st->status;
    return same_process(st->pid, st->pid_start, st->boot_id) ? RL_CTR_RUNNING : RL_CTR_EXITED;
}

bool rl_ctr_monitor_alive(const rl_ctr_state_t *st)
{
    return same_process(st->monitor_pid, st->monitor_start, st->boot_id);
}

static char *state_path(rl_store_t *s, const char *id)
{
    return rl_ctr_path(s, id, "state.json");
}

static int get_int(json_object *j, const char *key, int64_t min, int64_t max, int64_t *out,
                   rl_error_t *err)
{
    return rl_json_i64(j, "", key, min, max, out, err);
}

static int parse(json_object *j, rl_ctr_state_t *st, rl_error_t *err)
{
    const char *status = NULL, *boot = NULL, *started = NULL, *finished = NULL;
    int64_t pid = 0, mon = 0, code = -1, restarts = 0;
    uint64_t ps = 0, ms = 0;
    if (rl_json_str(j, "", "status", true, &status, err) < 0 ||
        rl_json_str(j, "", "boot_id", false, &boot, err) < 0 ||
        rl_json_str(j, "", "started_at", false, &started, err) < 0 ||
        rl_json_str(j, "", "finished_at", false, &finished, err) < 0 ||
        get_int(j, "pid", 0, INT32_MAX, &pid, err) < 0 ||
        get_int(j, "monitor_pid", 0, INT32_MAX, &mon, err) < 0 ||
        get_int(j, "exit_code", -1, 255, &code, err) < 0 ||
        get_int(j, "restarts", 0, INT32_MAX, &restarts, err) < 0 ||
        rl_json_u64(j, "", "pid_start", &ps, err) < 0 ||
        rl_json_u64(j, "", "monitor_start", &ms, err) < 0 ||
        rl_json_bool(j, "", "stop_requested", &st->stop_requested, err) < 0 ||
        rl_json_strv(j, "", "ports", false, &st->ports, err) < 0)
        return -1;
    int i = 0;
    while (i < 3 && strcmp(status_names[i], status))
        i++;
    if (i == 3) return rl_error_set(err, 0, "status: unknown value '%s'", status);
    st->status = (rl_ctr_status_t)i;
    st->pid = (pid_t)pid, st->pid_start = ps;
    st->monitor_pid = (pid_t)mon, st->monitor_start = ms;
    st->exit_code = (int)code, st->restarts = (int)restarts;
    snprintf(st->boot_id, sizeof st->boot_id, "%s", boot ? boot : "");
    st->started_at = started ? xstrdup(started) : NULL;
    st->finished_at = finished ? xstrdup(finished) : NULL;
    return 0;
}

int rl_ctr_state_load(rl_store_t *s, const char *id, rl_ctr_state_t *st, rl_error_t *err)
{
    memset(st, 0, sizeof *st);
    st->exit_code = -1;
    rl_autofree char *p = state_path(s, id);
    if (!rl_fs_exists(p)) return 0;
    rl_autojson json_object *j = rl_json_parse_file(p, 1 << 16, err);
    if (!j || parse(j, st, err) < 0) return rl_error_wrap(err, "'%s'", p);
    return 0;
}

static void add_str(json_object *j, const char *k, const char *v)
{
    if (v) json_object_object_add(j, k, json_object_new_string(v));
}

int rl_ctr_state_save(rl_store_t *s, const char *id, const rl_ctr_state_t *st, rl_error_t *err)
{
    rl_autojson json_object *j = json_object_new_object();
    add_str(j, "status", status_names[st->status]);
    json_object_object_add(j, "pid", json_object_new_int(st->pid));
    json_object_object_add(j, "pid_start", json_object_new_uint64(st->pid_start));
    json_object_object_add(j, "monitor_pid", json_object_new_int(st->monitor_pid));
    json_object_object_add(j, "monitor_start", json_object_new_uint64(st->monitor_start));
    add_str(j, "boot_id", st->boot_id);
    json_object_object_add(j, "exit_code", json_object_new_int(st->exit_code));
    add_str(j, "started_at", st->started_at);
    add_str(j, "finished_at", st->finished_at);
    json_object_object_add(j, "stop_requested", json_object_new_boolean(st->stop_requested));
    json_object_object_add(j, "restarts", json_object_new_int(st->restarts));
    if (st->ports)
        json_object_object_add(j, "ports", rl_json_new_strv((const char *const *)st->ports));
    const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
    rl_autofree char *p = state_path(s, id);
    return rl_fs_write_replace(p, text, strlen(text), 0600, !st->ephemeral, err);
}

void rl_ctr_state_clear(rl_ctr_state_t *st)
{
    free(st->started_at);
    free(st->finished_at);
    st->started_at = st->finished_at = NULL;
    rl_strv_free(st->ports);
    st->ports = NULL;
}

int rl_ctr_lock(rl_store_t *s, const char *id, rl_error_t *err)
{
    rl_autofree char *dir = rl_ctr_path(s, id, NULL);
    int fd = rl_lock_path(dir, RL_LOCK_DIR, LOCK_EX, err);
    if (fd < 0 && err->code == ENOENT) {
        rl_error_clear(err);
        return rl_error_set(err, 0, "no such container '%s'", id);
    }
    return fd;
}
