/* SPDX-License-Identifier: Apache-2.0 */
/* `rl stats`: a container's resource use from its cgroup v2 files. On
 * cgroup v1 (or hybrid) a rootless container has no cgroup of its own,
 * so there is nothing to read and rl says so. */
#ifndef RL_CGROUPS_STATS_H
#define RL_CGROUPS_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pkg/util/error.h"

typedef struct rl_cgroup_stats {
    uint64_t cpu_usec;    /* cpu.stat usage_usec */
    uint64_t mem_current; /* memory.current */
    uint64_t mem_max;     /* memory.max; 0: no limit */
    uint64_t pids;        /* pids.current */
} rl_cgroup_stats_t;

/* mount_root: "/sys/fs/cgroup" (tests pass a fake tree); proc_cgroup: the
 * text of /proc/PID/cgroup. */
int rl_cgroup_stats_at(const char *mount_root, bool is_v2, const char *proc_cgroup,
                       rl_cgroup_stats_t *out, rl_error_t *err);
int rl_cgroup_stats(pid_t pid, rl_cgroup_stats_t *out, rl_error_t *err);

#endif
