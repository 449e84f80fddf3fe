/* SPDX-License-Identifier: Apache-2.0 */
/* This machine and this moment, as image metadata spells them. */
#ifndef RL_UTIL_PLATFORM_H
#define RL_UTIL_PLATFORM_H

/* GOARCH of this machine: "amd64", "arm64", ... */
const char *rl_go_arch(void);
/* Now, RFC 3339 in UTC with nanoseconds. Caller frees. */
char *rl_now_rfc3339(void);

#endif
