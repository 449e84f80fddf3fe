/* Verbs of issue 3 still being written: a clear refusal until they land. */
#include "cli.h"

int rl_cmd_load(int argc, char **argv)
{
    (void)argc, (void)argv;
    return rl_cli_usage("load", "not implemented yet");
}
