/* SPDX-License-Identifier: Apache-2.0 */
/* Logging: one line per message to stderr ("rl: warning: ..."), and, when
 * --log FILE is given (runc compatibility), to that file as text or JSON. */
#ifndef RL_UTIL_LOG_H
#define RL_UTIL_LOG_H

#include <stdbool.h>

#include "error.h"

typedef enum { RL_LOG_ERROR = 0, RL_LOG_WARNING, RL_LOG_INFO, RL_LOG_DEBUG } rl_log_level_t;

/* Parse "debug|info|warn|warning|error"; < 0 when unknown. */
int rl_log_parse_level(const char *s);
void rl_log_set_level(rl_log_level_t level);
rl_log_level_t rl_log_get_level(void);
/* Also write to path; json: one {"level","msg","time"} object per line. */
int rl_log_set_file(const char *path, bool json, rl_error_t *err);
/* Keep the log fd open across exec of the container? Never: it is O_CLOEXEC. */
int rl_log_file_fd(void);

void rl_log(rl_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define rl_error_log(...) rl_log(RL_LOG_ERROR, __VA_ARGS__)
#define rl_warn(...)      rl_log(RL_LOG_WARNING, __VA_ARGS__)
#define rl_info(...)      rl_log(RL_LOG_INFO, __VA_ARGS__)
#define rl_debug(...)     rl_log(RL_LOG_DEBUG, __VA_ARGS__)

#endif
