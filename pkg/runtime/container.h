/* SPDX-License-Identifier: Apache-2.0 */
/* The OCI runtime operations on containers (what `rl oci` exposes). */
#ifndef RL_RUNTIME_CONTAINER_H
#define RL_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "netdev.h"
#include "pkg/network/plan.h"
#include "pkg/spec/hooks.h"
#include "pkg/util/error.h"

struct winsize;

/* What to build: the same for every start of a container. */
typedef struct rl_create_opts {
    const char *root; /* state root */
    const char *id;
    const char *bundle;
    const char *console_socket;
    const char *pid_file;
    int preserve_fds;
    bool no_pivot;
    const struct rl_rootfs *rootfs; /* rl run: image layers to mount */
    const rl_net_plan_t *net;       /* slirp: the network to make in the new netns */
} rl_create_opts_t;

/* How this start goes. */
typedef struct rl_create_run {
    bool start;                    /* run: start right after create */
    bool detach;                   /* return once started */
    const int *stdio;              /* the container's fds 0, 1, 2 (-1: ours); NULL: ours */
    const struct winsize *winsize; /* the terminal's first size, or NULL */
} rl_create_run_t;

/* A detached container handed to its caller, who stays its reaper: its
 * pid and a pidfd for it (its exit, without racing a reused pid), its pty
 * master (-1 without a terminal) and its network's fds (the caller runs
 * slirp on them). The caller closes the fds. */
typedef struct rl_container_handle {
    pid_t pid;
    int pidfd;
    int master;
    rl_netfds_t net;
} rl_container_handle_t;

/* create, or run. Returns the exit code to leave with: 0 for create and a
 * detached run (*out filled when out is given), the container's code for a
 * foreground run; -1 with err. */
int rl_container_create(const rl_create_opts_t *o, const rl_create_run_t *run,
                        rl_container_handle_t *out, rl_error_t *err);
int rl_container_start(const char *root, const char *id, rl_error_t *err);
int rl_container_kill(const char *root, const char *id, int sig, bool all, rl_error_t *err);
int rl_container_delete(const char *root, const char *id, bool force, rl_error_t *err);

typedef struct rl_exec_opts {
    const char *root;
    const char *id;
    const char *process_file; /* --process */
    char **args;              /* else: the container's process with these args */
    char **env;               /* -e, appended */
    const char *cwd;
    const char *user; /* "UID[:GID]" */
    char **caps;      /* --cap, added to every set */
    char **gids;      /* --additional-gids */
    bool tty, tty_set, detach, no_new_privs;
    const char *console_socket;
    const char *pid_file;
    int preserve_fds;
} rl_exec_opts_t;

int rl_container_exec(const rl_exec_opts_t *o, rl_error_t *err);

/* Foreground: relay the pty (master >= 0) and forward signals until pid
 * exits; returns its exit code (128+N for a signal). */
int rl_foreground_wait(pid_t pid, int master, rl_error_t *err);
/* Run the hooks of a phase from the container's saved spec. */
int rl_container_run_hooks(const char *root, const char *id, rl_spec_hook_phase_t phase,
                           rl_error_t *err);
void rl_container_hooks_warn(const char *root, const char *id, rl_spec_hook_phase_t phase);
/* The seccomp notify fd goes to listenerPath with the container state. */
int rl_seccomp_forward(const char *root, const char *id, int fd, rl_error_t *err);

#endif
