/* SPDX-License-Identifier: Apache-2.0 */
/* What the parent prepares for the container's setup process; the child
 * gets its own copy through clone(). */
#ifndef RL_RUNTIME_LAUNCH_H
#define RL_RUNTIME_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "ns.h"
#include "rootfs.h"
#include "pkg/network/plan.h"
#include "pkg/spec/spec.h"
#include "seccomp.h"

typedef struct rl_launch {
    const rl_spec_t *spec;
    rl_ns_plan_t ns;
    rl_seccomp_t seccomp;
    bool has_seccomp;
    int sync_fd;   /* child's end */
    int parent_fd; /* parent's end (the child closes it) */
    int listen_fd; /* start.sock for `create`, -1 for `run` */
    int preserve_fds;
    bool no_pivot;
    const rl_rootfs_t *rootfs; /* image layers to mount, NULL for rl oci */
    const int *stdio;          /* fds to make 0, 1, 2 (-1: keep), or NULL */
    const rl_net_plan_t *tap;  /* make this tap device and send its fd, or NULL */
} rl_launch_t;

/* The container's setup process: DESIGN.md §1 "Child" sequence. */
__attribute__((noreturn)) void rl_init_main(rl_launch_t *l);

#endif
