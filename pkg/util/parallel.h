/* SPDX-License-Identifier: Apache-2.0 */
/* Run n jobs, each in a forked child, at most max at once, and collect each
 * one's result and error in the parent, in order. For work that mostly waits
 * (stopping containers waits out their stop timeouts), where a process per
 * job is cheap and keeps the jobs' locks and state apart. A job must not use
 * the parent's open store (its lock fd is shared): open its own. */
#ifndef RL_UTIL_PARALLEL_H
#define RL_UTIL_PARALLEL_H

#include <stddef.h>

#include "error.h"

typedef int (*rl_parallel_fn)(size_t i, void *ctx, rl_error_t *err);

typedef struct rl_parallel_result {
    int r;          /* the job's return value (< 0: failed, err filled) */
    rl_error_t err; /* its error; the caller clears it */
} rl_parallel_result_t;

/* res has n entries; a job that could not start or died without reporting
 * has r < 0 and says so in its err. */
void rl_parallel_run(size_t n, size_t max, rl_parallel_fn fn, void *ctx, rl_parallel_result_t *res);

#endif
