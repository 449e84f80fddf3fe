/* SPDX-License-Identifier: Apache-2.0 */
/* `rl top`: the processes of a running container, found by its pid
 * namespace in /proc, shown with podman's descriptors. */
#ifndef RL_ENGINE_TOP_H
#define RL_ENGINE_TOP_H

#include "pkg/util/strbuf.h"
#include "storage/store.h"

#define RL_TOP_DEFAULT "user,pid,ppid,pcpu,etime,tty,time,args"

/* descriptors: comma- or space-separated, NULL for the default. The table,
 * header first, goes to out. */
int rl_engine_top(rl_store_t *s, const char *id, char **descriptors, rl_strbuf_t *out,
                  rl_error_t *err);

#endif
