/* SPDX-License-Identifier: Apache-2.0 */
/* A process as a record names it: its pid, its start time (clock ticks
 * since boot, /proc/PID/stat field 22) and the boot it ran in, so that a
 * reused pid, or a record from before a reboot in a runtime dir that is not
 * a tmpfs, is never taken for it. The one place rl asks whether a recorded
 * process still runs, and waits for one to go. */
#ifndef RL_UTIL_PROC_H
#define RL_UTIL_PROC_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct rl_proc_id {
    pid_t pid;
    unsigned long long start;
    char boot[40]; /* /proc/sys/kernel/random/boot_id; "" matches any */
} rl_proc_id_t;

/* Fields of /proc/PID/stat (any may be NULL); -1 when there is no such pid. */
int rl_proc_stat(pid_t pid, char *state, pid_t *ppid, unsigned long long *start);
void rl_proc_boot_id(char out[40]);
/* pid as it is now; -1 when it is gone. */
int rl_proc_id_of(pid_t pid, rl_proc_id_t *id);
/* Still that process, and not a zombie. */
bool rl_proc_same(const rl_proc_id_t *id);
/* Wait until it is gone, at most ms: true when it is. The process need
 * not be our child (a pidfd tells its exit). */
bool rl_proc_wait_gone(const rl_proc_id_t *id, int ms);

#endif
