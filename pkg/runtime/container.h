/* SPDX-License-Identifier: Apache-2.0 */
/* The OCI runtime operations on containers (what `rl oci` exposes). */
#ifndef RL_RUNTIME_CONTAINER_H
#define RL_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "pkg/spec/hooks.h"
#include "pkg/util/error.h"

struct winsize;

typedef struct rl_create_opts {
    const char *root; /* state root */
    const char *id;
    const char *bundle;
    const char *console_socket;
    const char *pid_file;
    int preserve_fds;
    bool no_pivot;
    bool start;                     /* run: start right after create */
    bool detach;                    /* run -d: return once started */
    const struct rl_rootfs *rootfs; /* rl run: image layers to mount */
    pid_t *pid_out;                 /* detach: the container's pid; we stay its reaper */
    int *master_out;                /* detach with a terminal: keep the pty master (else -1) */
    const int *stdio;               /* the container's fds 0, 1, 2 (-1: ours); NULL: ours */
    const struct winsize *winsize;  /* the terminal's first size, or NULL */
    const struct rl_netdev *tap;    /* slirp: the tap device to make in the new netns */
    struct rl_netfds *net_out;      /* detach with a tap: its fds (the caller runs slirp) */
} rl_create_opts_t;

/* create, or run. Returns the exit code to leave with: 0 for create and
 * run -d, the container's code for a foreground run; -1 with err. */
int rl_container_create(const rl_create_opts_t *o, rl_error_t *err);
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
