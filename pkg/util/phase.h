/* SPDX-License-Identifier: Apache-2.0 */
/* Start-up phase stamps for make bench's breakdown of `rl run`: with
 * RL_PHASES=FILE in the environment, each rl_phase(NAME) appends
 * "PID NAME MS" (milliseconds since the process's first stamp, inherited by
 * forked children) to FILE. Without it, one getenv and nothing else. Only
 * for code that runs with rl's own descriptors (not the container's init). */
#ifndef RL_UTIL_PHASE_H
#define RL_UTIL_PHASE_H

void rl_phase(const char *name);

#endif
