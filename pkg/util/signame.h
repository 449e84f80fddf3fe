/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RL_UTIL_SIGNAME_H
#define RL_UTIL_SIGNAME_H

#include <stdbool.h>

/* Signal number, or -1 when s names none. */
int rl_signal_parse(const char *s);
/* "TERM" for SIGTERM; NULL for a signal without a name of its own (RT). */
const char *rl_signal_name(int sig);

#endif
