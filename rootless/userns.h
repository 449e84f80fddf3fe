/* SPDX-License-Identifier: Apache-2.0 */
/* Storage work that must create or remove files owned by subordinate ids
 * (layer extraction, removing a container's upper dir) runs in a short-lived
 * child inside a user namespace with the user's full mapping (DESIGN.md §1):
 * the same mapping every container gets, so owners agree. */
#ifndef RL_ROOTLESS_USERNS_H
#define RL_ROOTLESS_USERNS_H

#include "pkg/util/error.h"
#include "pkg/util/strbuf.h"

/* fn runs in the child as root of the namespace; what it appends to out is
 * handed back to the caller's out (may be NULL); its error becomes ours.
 * As real root no namespace is made: fn still runs in a child. */
typedef int (*rl_userns_fn)(void *arg, rl_strbuf_t *out, rl_error_t *err);

/* Run fn in a child; returns its pid, or -1 with err. Collect with
 * rl_userns_wait. Several may run at once (parallel layer pulls). */
typedef struct rl_userns_job {
    int pid;
    int fd; /* read end of the child's report */
} rl_userns_job_t;

int rl_userns_start(rl_userns_fn fn, void *arg, rl_userns_job_t *job, rl_error_t *err);
int rl_userns_wait(rl_userns_job_t *job, rl_strbuf_t *out, rl_error_t *err);
/* start + wait. */
int rl_userns_run(rl_userns_fn fn, void *arg, rl_strbuf_t *out, rl_error_t *err);
/* rm -rf path inside the storage user namespace. */
int rl_userns_rm_rf(const char *path, rl_error_t *err);
/* The same inside the user namespace ns_fd refers to (a container's, held
 * open since it ran): joined as its owner, so no newuidmap/newgidmap run
 * (two setuid execs, about 9 ms of CPU here). ns_fd < 0: rl_userns_rm_rf. */
int rl_userns_rm_rf_in(const char *path, int ns_fd, rl_error_t *err);

#endif
