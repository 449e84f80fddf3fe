/* SPDX-License-Identifier: Apache-2.0 */
/* The lifecycle verbs on recorded containers (rl stop, kill, rm, wait,
 * start): names and id prefixes to ids, and the state the monitor keeps. */
#ifndef RL_ENGINE_CTR_H
#define RL_ENGINE_CTR_H

#include "pkg/spec/stored.h"
#include <stdbool.h>

#include "launch.h"
#include "storage/ctr_state.h"
#include "pkg/network/ports.h"
#include "storage/containers.h"

/* A name, a full id or a unique id prefix → the id. err->exit stays 0
 * (125) unless the caller sets it; of kind RL_ERR_NOT_FOUND when there is none. */
int rl_engine_ctr_find(rl_store_t *s, const char *ref, char id[65], rl_error_t *err);
/* --latest: the container created last; of kind RL_ERR_NOT_FOUND when
 * there is none. */
int rl_engine_ctr_latest(rl_store_t *s, char id[65], rl_error_t *err);
/* The few fields of the container's stored spec that verbs show (ps). */
int rl_engine_ctr_spec(rl_store_t *s, const char *id, rl_spec_stored_t *out, rl_error_t *err);
/* Record and state, read together. */
int rl_engine_ctr_get(rl_store_t *s, const char *id, rl_ctr_rec_t *rec, rl_ctr_state_t *st,
                      rl_error_t *err);

/* Appends to *ids the containers whose state keep() accepts. A state that
 * cannot be read fails the call with err, or is passed over with err NULL. */
int rl_engine_ctr_select(rl_store_t *s, bool (*keep)(const rl_ctr_state_t *st), char ***ids,
                         rl_error_t *err);

/* Its published ports: as bound while it runs (the state's), else as
 * recorded; in the record's form, and parsed. */
char *const *rl_engine_ctr_port_specs(const rl_ctr_rec_t *rec, const rl_ctr_state_t *st);
void rl_engine_ctr_ports(const rl_ctr_rec_t *rec, const rl_ctr_state_t *st, rl_net_ports_t *out);

/* The image's StopSignal (or SIGTERM), then SIGKILL after timeout seconds;
 * returns once the container has exited and its end is recorded. */
int rl_engine_stop(rl_store_t *s, const char *id, int timeout, rl_error_t *err);
/* (timeout < 0: the container's --stop-timeout, else 10 s) */
int rl_engine_kill(rl_store_t *s, const char *id, int sig, rl_error_t *err);
/* force: stop it first (SIGKILL) when running. Refused (EBUSY) while a
 * container joins its namespaces (--network container:ID), unless that one
 * is in `with`: the ids the same command removes (NULL-terminated, or
 * NULL), so that `rm -a` and prune take both. */
int rl_engine_rm(rl_store_t *s, const char *id, bool force, int timeout, char *const *with,
                 rl_error_t *err);
/* Until it is no longer running (or, running_wanted, until it runs);
 * returns its exit code (-1 unknown). A container never started has
 * nothing to wait for: 0 at once, as podman. */
int rl_engine_wait(rl_store_t *s, const char *id, bool running_wanted, rl_error_t *err);
/* Start a created or exited container (io: detached, or attached in the
 * foreground). Detached: 0, or 1 when it runs already (no error, as in
 * podman); attached: its exit code, and a running one is refused. */
int rl_engine_start(rl_store_t *s, const char *id, const rl_engine_io_t *io, rl_error_t *err);

#endif
