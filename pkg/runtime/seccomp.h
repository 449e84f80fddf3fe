/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp → a BPF program, compiled in the parent with libseccomp and
 * loaded by the container process as its last step before execve. */
#ifndef RL_RUNTIME_SECCOMP_H
#define RL_RUNTIME_SECCOMP_H

#include <json-c/json.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_seccomp {
    struct sock_filter *prog;
    size_t len;          /* instructions */
    unsigned int flags;  /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
    bool notify;         /* some rule uses SCMP_ACT_NOTIFY */
    char *listener_path; /* where the notify fd goes */
    char *listener_metadata;
} rl_seccomp_t;

/* Compile; path names the JSON location for errors ("linux.seccomp"). */
int rl_seccomp_compile(json_object *obj, const char *path, rl_seccomp_t *out, rl_error_t *err);
/* The same through the per-user cache of compiled programs (seccomp_cache.c). */
int rl_seccomp_compile_cached(json_object *obj, const char *path, rl_seccomp_t *out,
                              rl_error_t *err);
/* Load into the calling thread; returns the notify listener fd, 0, or -1. */
int rl_seccomp_load(const rl_seccomp_t *sc, rl_error_t *err);
/* The names the compiler takes, from its own tables (rl oci features);
 * NULL-terminated, caller frees. */
typedef enum {
    RL_SECCOMP_ACTIONS,
    RL_SECCOMP_OPERATORS,
    RL_SECCOMP_ARCHS,
    RL_SECCOMP_FLAGS
} rl_seccomp_names_t;
char **rl_seccomp_names(rl_seccomp_names_t which);
void rl_seccomp_clear(rl_seccomp_t *sc);
/* What the program answers to system call nr with these arguments, in
 * userspace (seccomp_eval.c): 0 and *ret, or -1 for a program it cannot
 * follow. */
int rl_seccomp_eval(const rl_seccomp_t *sc, int nr, const uint64_t args[6], uint32_t *ret);
/* The call comes back (allowed, or an errno) rather than killing, trapping
 * or stopping the process; true without a filter. */
bool rl_seccomp_returns(const rl_seccomp_t *sc, int nr, const uint64_t args[6]);

#endif
