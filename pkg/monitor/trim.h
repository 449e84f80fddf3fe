/* SPDX-License-Identifier: Apache-2.0 */
/* A detached monitor stays for its container's lifetime, and its memory is
 * per container: once the container runs, give back what setting it up
 * used. */
#ifndef RL_MONITOR_TRIM_H
#define RL_MONITOR_TRIM_H

/* The heap's free pages (malloc_trim), and the mapped pages of program
 * and library files (code, read-only data): the setup code that ran in
 * this process (spec parsing, the runtime, library constructors) leaves
 * them mapped, counted in its RSS. They stay in the page cache, shared;
 * what the event loop uses comes back on first use (a minor fault).
 * Writable mappings, and any with a page of their own (relocated data),
 * are never touched: only pages that the file alone defines are dropped. */
void rl_mon_trim(void);

#endif
