#ifndef RL_CMD_SIGPARSE_H
#define RL_CMD_SIGPARSE_H

#include <stdbool.h>

/* Signal number, or -1 when s names none. */
int rl_cli_parse_signal(const char *s);

#endif
