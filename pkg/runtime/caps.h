/* SPDX-License-Identifier: Apache-2.0 */
/* Capabilities of the container process: all five sets (libcap). */
#ifndef RL_RUNTIME_CAPS_H
#define RL_RUNTIME_CAPS_H

#include "pkg/spec/spec.h"
#include "pkg/util/error.h"

/* The highest capability this kernel knows. */
int rl_caps_last_cap(void);
/* Drop everything outside the bounding set (needs CAP_SETPCAP: do it first). */
int rl_caps_drop_bounding(const rl_spec_caps_t *caps, rl_error_t *err);
/* Set effective, permitted, inheritable, then raise ambient. */
int rl_caps_apply(const rl_spec_caps_t *caps, rl_error_t *err);

#endif
