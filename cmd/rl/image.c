/* SPDX-License-Identifier: Apache-2.0 */
/* `rl image SUBCOMMAND`: the image verbs under one name, as podman has them. */
#include <string.h>

#include "cli.h"

static const rl_verb_t image_verbs[] = {
    {"ls", rl_cmd_images, ""},
    {"list", rl_cmd_images, ""},
    {"rm", rl_cmd_rmi, ""},
    {"tag", rl_cmd_tag, ""},
    {"inspect", rl_cmd_image_inspect, ""},
    {"exists", rl_cmd_image_exists, ""},
    {"prune", rl_cmd_image_prune, ""},
    {"pull", rl_cmd_pull, ""},
    {"load", rl_cmd_load, ""},
    {"import", rl_cmd_import, ""},
};

int rl_cmd_image(int argc, char **argv)
{
    if (argc < 2)
        return rl_cli_usage("image", "give a subcommand: ls, rm, tag, inspect, exists, prune, "
                                     "pull, load, import");
    for (size_t i = 0; i < sizeof image_verbs / sizeof image_verbs[0]; i++)
        if (!strcmp(argv[1], image_verbs[i].name)) return image_verbs[i].run(argc - 1, argv + 1);
    return rl_cli_usage("image", "unknown subcommand '%s'", argv[1]);
}
