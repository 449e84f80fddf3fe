/* SPDX-License-Identifier: Apache-2.0 */
/* Container records in the store: containers/<id>/ holds container.json
 * (name, image, rootfs driver), config.json (the OCI spec) and the rootfs
 * work dirs (upper/, work/, merged/ or rootfs/ for vfs). */
#ifndef RL_STORAGE_CONTAINERS_H
#define RL_STORAGE_CONTAINERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "ctr_policy.h"
#include "pkg/network/netmode.h"
#include "store.h"

typedef struct rl_ctr_rec {
    char *id, *name, *image_id, *image_name, *created, *driver;
    char *userns;         /* --userns as given (keep-id needs it again at start), or NULL */
    char *pidfile;        /* --pidfile: the container's pid goes there */
    char *conmon_pidfile; /* --conmon-pidfile: the monitor's pid */
    /* parsed once, at the command line (ctr_policy.h, pkg/network/netmode.h) */
    rl_ctr_log_driver_t log_driver;
    rl_ctr_restart_t restart;
    rl_ctr_sdnotify_t sdnotify;
    rl_net_mode_t network; /* container:NAME resolved to container:ID */
    char **layers;         /* chain ids, base first */
    char **ports; /* published: "hostIP:hostPort:ctrPort/proto", random ones picked at create */
    long long log_max_size; /* 0: unlimited */
    bool has_stop_timeout;  /* --stop-timeout given: */
    int stop_timeout;       /* the seconds rl stop waits by default (else 10) */
    bool ephemeral;         /* --rm: gone with its process; no fsync for its record */
    bool tty, interactive;  /* -t, -i: a terminal; stdin kept open for attach */
} rl_ctr_rec_t;

/* A fresh 64-hex id. */
void rl_ctr_new_id(char out[65]);
/* Create containers/<id>/ and container.json; fails when the name is taken
 * (checked and written under the exclusive store lock). */
int rl_ctr_create(rl_store_t *s, const rl_ctr_rec_t *rec, rl_error_t *err);
/* podman's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]* */
int rl_ctr_name_check(const char *name, rl_error_t *err);
/* A new name, unique (checked and written under the exclusive store lock). */
int rl_ctr_rename(rl_store_t *s, const char *id, const char *name, rl_error_t *err);
/* containers/<id>/FILE in the store, or the directory itself (file NULL).
 * Caller frees. */
char *rl_ctr_path(const rl_store_t *s, const char *id, const char *file);
int rl_ctr_read(rl_store_t *s, const char *id, rl_ctr_rec_t *rec, rl_error_t *err);
void rl_ctr_rec_clear(rl_ctr_rec_t *rec);
/* Every readable record, in directory order. Caller frees with rl_ctr_list_free. */
int rl_ctr_list(rl_store_t *s, rl_ctr_rec_t **recs, size_t *n);
void rl_ctr_list_free(rl_ctr_rec_t *recs, size_t n);
/* Ids of the containers made from image id (NULL-terminated). */
char **rl_ctr_using_image(rl_store_t *s, const char *image_id);
/* Ids of the containers made with --network container:ID (they join its
 * namespaces), NULL-terminated. */
char **rl_ctr_joining(rl_store_t *s, const char *id);
/* Remove the container's dir (its upper dir holds subordinate-owned files). */
int rl_ctr_remove(rl_store_t *s, const char *id, rl_error_t *err);
/* The same, files of other container users removed in the container's own
 * user namespace, ns_fd (-1: one made for it; rootless/userns.h). */
int rl_ctr_remove_in(rl_store_t *s, const char *id, int ns_fd, rl_error_t *err);
/* rl_ctr_remove in two steps: the container leaves the store at once
 * (renamed into tmp/ for the process remover, which need not exist yet: a
 * leftover once it is gone), and its files go later through
 * rl_store_rm_detached. *tmp_out = NULL when there was no container. */
int rl_ctr_detach(rl_store_t *s, const char *id, pid_t remover, char **tmp_out, rl_error_t *err);
int rl_store_rm_detached(const char *tmp, int ns_fd, rl_error_t *err);

#endif
