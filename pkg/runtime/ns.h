/* SPDX-License-Identifier: Apache-2.0 */
/* Namespaces: which to create with clone, which to unshare later, which to
 * join by path, and the time namespace's offsets. */
#ifndef RL_RUNTIME_NS_H
#define RL_RUNTIME_NS_H

#include <stdbool.h>

#include "pkg/spec/spec.h"
#include "pkg/util/error.h"

typedef struct rl_ns_plan {
    int clone_flags;   /* namespaces created by clone() itself */
    int unshare_flags; /* created by unshare() after joining a user namespace */
    bool fork_pid;     /* an extra fork enters a joined or late-created pid namespace */
    int fork_flags;    /* CLONE_NEWPID for that fork, or 0 */
    bool new_user, new_net, new_cgroup, new_time;
    int fds[RL_NS_COUNT]; /* opened paths, -1 when none */
} rl_ns_plan_t;

/* Parent: work out the plan and open (and type-check) every namespace path. */
int rl_ns_plan(const rl_spec_t *spec, rl_ns_plan_t *plan, rl_error_t *err);
void rl_ns_plan_close(rl_ns_plan_t *plan);
/* Child: join the namespace of one type by its opened fd. */
int rl_ns_join(rl_ns_plan_t *plan, rl_spec_ns_type_t type, rl_error_t *err);
/* Child: create the time namespace, write offsets, and enter it. */
int rl_ns_setup_time(const rl_spec_t *spec, rl_error_t *err);
/* Child: bring lo up in a new network namespace. */
int rl_ns_loopback_up(rl_error_t *err);

#endif
