/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "pkg/monitor/attach.h"
#include "pkg/runtime/container.h"
#include "pkg/util/proc.h"
#include "pkg/util/cleanup.h"
#include "pkg/spec/stored.h"
#include "pkg/util/json.h"
#include "pkg/util/platform.h"
#include "pkg/util/log.h"
#include "pkg/util/signame.h"

static bool hex_prefix(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 && strspn(s, "0123456789abcdef") == n;
}

int rl_engine_ctr_find(rl_store_t *s, const char *ref, char id[65], rl_error_t *err)
{
    rl_ctr_rec_t *v;
    size_t n, hits = 0;
    rl_ctr_list(s, &v, &n);
    const char *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (!strcmp(v[i].name, ref) || !strcmp(v[i].id, ref)) found = v[i].id;
    for (size_t i = 0; i < n && !found && hex_prefix(ref); i++)
        if (!strncmp(v[i].id, ref, strlen(ref)) && hits++ == 0) snprintf(id, 65, "%s", v[i].id);
    if (found) snprintf(id, 65, "%s", found);
    rl_ctr_list_free(v, n);
    if (found || hits == 1) return 0;
    if (hits > 1)
        return rl_error_set(err, 0, "more than one container id starts with '%s': give more of it",
                            ref);
    return rl_error_setk(err, RL_ERR_NOT_FOUND, 0,
                         "no container with name or id '%s' (see rl ps -a)", ref);
}

int rl_engine_ctr_latest(rl_store_t *s, char id[65], rl_error_t *err)
{
    rl_ctr_rec_t *v;
    size_t n;
    rl_ctr_list(s, &v, &n);
    const rl_ctr_rec_t *last = NULL;
    /* created is RFC 3339 in UTC with fixed-width nanoseconds: it sorts as text */
    for (size_t i = 0; i < n; i++)
        if (!last || (v[i].created && last->created && strcmp(v[i].created, last->created) > 0))
            last = &v[i];
    if (last) snprintf(id, 65, "%s", last->id);
    rl_ctr_list_free(v, n);
    return last ? 0 : rl_error_setk(err, RL_ERR_NOT_FOUND, 0, "--latest: there are no containers");
}

int rl_engine_ctr_get(rl_store_t *s, const char *id, rl_ctr_rec_t *rec, rl_ctr_state_t *st,
                      rl_error_t *err)
{
    if (rl_ctr_read(s, id, rec, err) < 0) return -1;
    if (rl_ctr_state_load(s, id, st, err) < 0) {
        rl_ctr_rec_clear(rec);
        return -1;
    }
    return 0;
}

char *const *rl_engine_ctr_port_specs(const rl_ctr_rec_t *rec, const rl_ctr_state_t *st)
{
    bool running = rl_ctr_state_live(st) == RL_CTR_RUNNING && st->ports;
    return running ? st->ports : rec->ports;
}

void rl_engine_ctr_ports(const rl_ctr_rec_t *rec, const rl_ctr_state_t *st, rl_net_ports_t *out)
{
    rl_net_ports_from_strv(out, rl_engine_ctr_port_specs(rec, st));
}

/* Poll a process (not our child) until it is gone or ms pass. */
static bool wait_pid_gone(pid_t pid, unsigned long long start, const char *boot, int ms)
{
    rl_proc_id_t id = {.pid = pid, .start = start};
    snprintf(id.boot, sizeof id.boot, "%s", boot);
    return rl_proc_wait_gone(&id, ms);
}

/* The monitor is gone (killed) but the record says running: clear the
 * runtime's state and record what we know. */
static int reconcile(rl_store_t *s, const char *id, rl_error_t *err)
{
    int fd = rl_ctr_lock(s, id, err);
    if (fd < 0) return -1;
    rl_ctr_state_t st;
    int r = rl_ctr_state_load(s, id, &st, err);
    if (r == 0 && st.status == RL_CTR_RUNNING && rl_ctr_state_live(&st) == RL_CTR_EXITED &&
        !rl_ctr_monitor_alive(&st)) {
        rl_autofree char *root = rl_engine_state_root(err);
        rl_error_t e = RL_ERROR_INIT;
        if (root && rl_container_delete(root, id, true, &e) < 0) rl_error_clear(&e);
        st.status = RL_CTR_EXITED;
        if (!st.finished_at) st.finished_at = rl_now_rfc3339();
        r = rl_ctr_state_save(s, id, &st, err);
    }
    rl_ctr_state_clear(&st);
    close(fd);
    return r;
}

static bool exists(rl_store_t *s, const char *id)
{
    rl_autofree char *dir = rl_ctr_path(s, id, NULL);
    return access(dir, F_OK) == 0;
}

/* After the container's process is gone: until its monitor recorded it. */
static int settle(rl_store_t *s, const char *id, rl_error_t *err)
{
    rl_ctr_state_t st;
    if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
    /* running, or exited and to be restarted until stop_requested */
    if (rl_ctr_monitor_alive(&st) && (st.status == RL_CTR_RUNNING || st.stop_requested))
        wait_pid_gone(st.monitor_pid, st.monitor_start, st.boot_id, 10000);
    rl_ctr_state_clear(&st);
    /* --rm: the monitor removed it */
    return exists(s, id) ? reconcile(s, id, err) : 0;
}

static int signal_it(const char *id, int sig, rl_error_t *err)
{
    rl_autofree char *root = rl_engine_state_root(err);
    if (!root) return -1;
    return rl_container_kill(root, id, sig, false, err);
}

int rl_engine_ctr_spec(rl_store_t *s, const char *id, rl_spec_stored_t *out, rl_error_t *err)
{
    rl_autofree char *p = rl_ctr_path(s, id, "config.json");
    return rl_spec_stored_load(p, out, err);
}

static int stop_signal(rl_store_t *s, const char *id)
{
    rl_error_t e = RL_ERROR_INIT;
    rl_spec_stored_t spec;
    int sig =
        rl_engine_ctr_spec(s, id, &spec, &e) == 0 ? rl_spec_stored_stop_signal(&spec) : SIGTERM;
    rl_spec_stored_clear(&spec);
    rl_error_clear(&e);
    return sig;
}

/* Mark the stop (no restart), under the lock; false when not running. */
static int request_stop(rl_store_t *s, const char *id, rl_ctr_state_t *st, rl_error_t *err)
{
    int fd = rl_ctr_lock(s, id, err);
    if (fd < 0) return -1;
    int r = rl_ctr_state_load(s, id, st, err);
    bool running = r == 0 && rl_ctr_state_live(st) == RL_CTR_RUNNING;
    /* between restarts the monitor waits, and must hear it too */
    if (r == 0 && (running || (!st->stop_requested && rl_ctr_monitor_alive(st)))) {
        st->stop_requested = true;
        r = rl_ctr_state_save(s, id, st, err);
        if (r == 0 && running) r = 1;
    }
    close(fd);
    return r;
}

static void warn_kill(rl_store_t *s, const char *id, int sig, int timeout)
{
    rl_ctr_rec_t rec;
    rl_error_t e = RL_ERROR_INIT;
    bool named = rl_ctr_read(s, id, &rec, &e) == 0;
    rl_error_clear(&e);
    const char *sn = rl_signal_name(sig);
    char num[16];
    snprintf(num, sizeof num, "%d", sig);
    rl_warn("StopSignal %s%s failed to stop container %s in %d seconds, resorting to SIGKILL",
            sn ? "SIG" : "", sn ? sn : num, named ? rec.name : id, timeout);
    if (named) rl_ctr_rec_clear(&rec);
}

/* The container's --stop-timeout, else podman's 10 s. */
static int default_timeout(rl_store_t *s, const char *id)
{
    rl_ctr_rec_t rec;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_ctr_read(s, id, &rec, &e) < 0) return rl_error_clear(&e), 10;
    int t = rec.has_stop_timeout ? rec.stop_timeout : 10;
    rl_ctr_rec_clear(&rec);
    return t;
}

int rl_engine_stop(rl_store_t *s, const char *id, int timeout, rl_error_t *err)
{
    if (timeout < 0) timeout = default_timeout(s, id);
    rl_ctr_state_t st;
    int running = request_stop(s, id, &st, err);
    if (running <= 0) {
        rl_ctr_state_clear(&st);
        return running < 0 ? -1 : settle(s, id, err);
    }
    rl_error_t e = RL_ERROR_INIT;
    int sig = stop_signal(s, id);
    if (timeout > 0 && signal_it(id, sig, &e) < 0) rl_error_clear(&e);
    if (timeout <= 0 || !wait_pid_gone(st.pid, st.pid_start, st.boot_id, timeout * 1000)) {
        /* podman's words, which scripts and its tests look for */
        if (timeout > 0) warn_kill(s, id, sig, timeout);
        if (signal_it(id, SIGKILL, &e) < 0) rl_error_clear(&e);
        wait_pid_gone(st.pid, st.pid_start, st.boot_id, 10000);
    }
    rl_ctr_state_clear(&st);
    return settle(s, id, err);
}

int rl_engine_ctr_select(rl_store_t *s, bool (*keep)(const rl_ctr_state_t *st), char ***ids,
                         rl_error_t *err)
{
    rl_ctr_rec_t *v;
    size_t n;
    int r = 0;
    rl_ctr_list(s, &v, &n);
    for (size_t i = 0; i < n && r == 0; i++) {
        rl_ctr_state_t st;
        rl_error_t e = RL_ERROR_INIT;
        if (rl_ctr_state_load(s, v[i].id, &st, err ? err : &e) < 0) {
            rl_error_clear(&e);
            r = err ? -1 : 0;
            continue;
        }
        if (keep(&st)) rl_strv_push(ids, xstrdup(v[i].id));
        rl_ctr_state_clear(&st);
    }
    rl_ctr_list_free(v, n);
    return r;
}

/* Its status now: a "running" record whose process is gone reads exited. */
static int live_status(rl_store_t *s, const char *id, rl_ctr_status_t *live, rl_error_t *err)
{
    rl_ctr_state_t st;
    if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
    *live = rl_ctr_state_live(&st);
    rl_ctr_state_clear(&st);
    return 0;
}

int rl_engine_kill(rl_store_t *s, const char *id, int sig, rl_error_t *err)
{
    rl_ctr_status_t live;
    if (live_status(s, id, &live, err) < 0) return -1;
    if (live != RL_CTR_RUNNING)
        return rl_error_set(err, 0, "container %.12s is not running: nothing to signal", id);
    return signal_it(id, sig, err);
}

/* As podman: a container others join stays until they go, or its id
 * would dangle in their records and they could never start again. */
static int check_joiners(rl_store_t *s, const char *id, char *const *with, rl_error_t *err)
{
    rl_autostrv char **j = rl_ctr_joining(s, id);
    rl_autofree char *left = NULL;
    for (size_t i = 0; j[i]; i++) {
        if (rl_strv_contains(with, j[i])) continue;
        char *more = xasprintf("%s%s%.12s", left ? left : "", left ? ", " : "", j[i]);
        free(left);
        left = more;
    }
    if (!left) return 0;
    return rl_error_setk(err, RL_ERR_BUSY, 0,
                         "container %.12s has dependent containers which must be removed before "
                         "it: %s (they use --network container:%.12s; rl rm them first)",
                         id, left, id);
}

int rl_engine_rm(rl_store_t *s, const char *id, bool force, int timeout, char *const *with,
                 rl_error_t *err)
{
    if (check_joiners(s, id, with, err) < 0) return -1;
    rl_ctr_status_t live;
    if (live_status(s, id, &live, err) < 0) return -1;
    if (live == RL_CTR_RUNNING) {
        if (!force) {
            rl_error_set(err, 0,
                         "container %.12s is running: stop it first (rl stop) or use rl rm -f", id);
            err->exit = 2;
            return -1;
        }
    }
    /* also ends a monitor waiting to restart it */
    if (rl_engine_stop(s, id, live == RL_CTR_RUNNING ? timeout : 0, err) < 0) return -1;
    /* a monitor killed with SIGKILL left its attach socket behind */
    rl_error_t e = RL_ERROR_INIT;
    rl_autofree char *sock = rl_mon_attach_path(id, false, &e);
    if (sock) unlink(sock);
    rl_error_clear(&e);
    return rl_ctr_remove(s, id, err);
}

int rl_engine_wait(rl_store_t *s, const char *id, bool running_wanted, rl_error_t *err)
{
    for (;;) {
        if (!exists(s, id)) return rl_error_set(err, 0, "container %.12s was removed", id);
        rl_ctr_state_t st;
        if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
        rl_ctr_status_t live = rl_ctr_state_live(&st);
        rl_ctr_state_clear(&st);
        if (running_wanted && live == RL_CTR_RUNNING) return 0;
        if (live == RL_CTR_RUNNING) {
            wait_pid_gone(st.pid, st.pid_start, st.boot_id, 1000);
            continue;
        }
        /* never started: not running, so stopped is true now, code 0 (as
         * podman and docker answer; a start to wait for may never come) */
        if (live == RL_CTR_CREATED && !running_wanted) return 0;
        if (running_wanted) {
            usleep(100 * 1000);
            continue;
        }
        if (settle(s, id, err) < 0) return -1;
        if (!exists(s, id)) return rl_error_set(err, 0, "container %.12s was removed", id);
        if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
        rl_ctr_state_clear(&st);
        return st.exit_code;
    }
}

int rl_engine_start(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err)
{
    rl_ctr_state_t st;
    if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
    rl_ctr_status_t live = rl_ctr_state_live(&st);
    bool monitor = rl_ctr_monitor_alive(&st);
    rl_ctr_state_clear(&st);
    if (live == RL_CTR_RUNNING && io->detach) return 1; /* nothing to do, as podman's */
    if (live == RL_CTR_RUNNING)
        return rl_error_set(err, 0, "container %.12s is already running: rl attach to it", id);
    if (monitor)
        return rl_error_set(err, 0, "container %.12s is restarting (--restart): rl stop it first",
                            id);
    /* what a killed monitor left behind; the runtime's state too when a
     * launch died before recording anything (the id would be taken) */
    if (reconcile(s, id, err) < 0) return -1;
    rl_autofree char *root = rl_engine_state_root(err);
    rl_error_t e = RL_ERROR_INIT;
    if (root && rl_container_delete(root, id, true, &e) < 0) rl_error_clear(&e);
    return rl_engine_launch(s, id, io, err);
}
