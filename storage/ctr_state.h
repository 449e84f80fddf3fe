/* SPDX-License-Identifier: Apache-2.0 */
/* A container's life as rl commands see it: containers/<id>/state.json in
 * the store. It lives in the store, not the runtime dir, so that after a
 * reboot (runtime dir gone) `rl ps -a` still knows how a container ended.
 * Written atomically, under the container's lock, by whoever changes it:
 * the monitor (started, exited), rl stop (stop requested). */
#ifndef RL_STORAGE_CTR_STATE_H
#define RL_STORAGE_CTR_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "pkg/util/error.h"
#include "storage/store.h"

typedef enum {
    RL_CTR_CREATED, /* recorded, never started */
    RL_CTR_RUNNING,
    RL_CTR_EXITED,
} rl_ctr_status_t;

typedef struct rl_ctr_state {
    rl_ctr_status_t status;
    pid_t pid; /* the container's init */
    unsigned long long pid_start;
    pid_t monitor_pid;
    unsigned long long monitor_start;
    char boot_id[40]; /* a pid and start time only mean something in this boot */
    int exit_code;    /* -1: not known (monitor and container killed together) */
    char *started_at, *finished_at;
    bool stop_requested; /* rl stop/kill -a: the monitor must not restart it */
    int restarts;
    bool ephemeral; /* --rm: gone with its process, so no fsync (not saved) */
    char **ports;   /* running: published ports as bound (rl_net_port_format) */
} rl_ctr_state_t;

/* No state file yet: a created container. */
int rl_ctr_state_load(rl_store_t *s, const char *id, rl_ctr_state_t *st, rl_error_t *err);
int rl_ctr_state_save(rl_store_t *s, const char *id, const rl_ctr_state_t *st, rl_error_t *err);
void rl_ctr_state_clear(rl_ctr_state_t *st);
/* What is true now: a "running" record whose process is gone (its monitor
 * killed with it, or a reboot) is exited. */
rl_ctr_status_t rl_ctr_state_live(const rl_ctr_state_t *st);
bool rl_ctr_monitor_alive(const rl_ctr_state_t *st);
const char *rl_ctr_status_name(rl_ctr_status_t s);
/* What podman shows as the container's state: its status, or "stopping"
 * between rl stop's request and the exit. */
const char *rl_ctr_state_name(const rl_ctr_state_t *st);
/* Exclusive flock on containers/<id>/; returns the fd to close. */
int rl_ctr_lock(rl_store_t *s, const char *id, rl_error_t *err);
/* The pid's start time in this boot, for the record. */
int rl_ctr_proc_identity(pid_t pid, unsigned long long *start, char boot_id[40]);

#endif
