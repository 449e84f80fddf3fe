/* SPDX-License-Identifier: Apache-2.0 */
/* `rl rmi` / `rl image rm` and `rl image prune`. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "pkg/util/cleanup.h"
#include "storage/image_remove.h"

static int remove_all(rl_store_t *s, bool force)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = {0};
    int r = rl_store_image_remove_all(s, force, &out, &err);
    fputs(rl_strbuf_str(&out), stdout);
    rl_strbuf_free(&out);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

typedef struct rmi_opts {
    bool all, force, ignore;
} rmi_opts_t;

static const rl_cli_opt_t rmi_opts[] = {
    RL_FLAG("all", 'a', rmi_opts_t, all, "every image"),
    RL_FLAG("force", 'f', rmi_opts_t, force,
            "with the containers that use them; a missing one is no error"),
    RL_FLAG("ignore", 'i', rmi_opts_t, ignore, "an image that does not exist is no error"),
    RL_IGNORED("no-prune", 0, NULL, "keep untagged parents (rl's images have none yet)"),
    RL_OPT_END,
};

static const rl_cli_opt_t prune_opts[] = {
    RL_FLAG("all", 'a', rmi_opts_t, all, "every image no container uses, not only dangling ones"),
    RL_IGNORED("force", 'f', NULL, "do not ask (rl never asks)"),
    RL_OPT_END,
};

const rl_cli_cmd_t rl_cli_rmi = {"rmi", "remove images", "IMAGE...", rmi_opts, false};
static const rl_cli_cmd_t rl_cli_image_prune = {
    "image prune", "remove images no container uses (-a), or only dangling ones", "", prune_opts,
    false};

int rl_cmd_rmi(int argc, char **argv)
{
    rmi_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_rmi, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool force = o.force, all = o.all;
    if (optind >= argc && !all) return rl_cli_usage("rmi", "give at least one image (or -a)");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    if (all) return remove_all(s, force);
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_strbuf_t out = {0};
        if (rl_store_image_remove(s, argv[i], force, &out, &err) < 0) {
            /* as podman: -f or --ignore, and it is already gone */
            bool gone = rl_error_is(&err, RL_ERR_NOT_FOUND);
            if (gone && (force || o.ignore)) {
                rl_error_clear(&err);
                rl_strbuf_free(&out);
                continue;
            }
            int code = rl_cli_fail(&err);
            if (rc == 0 || code == 2) rc = code;
        }
        fputs(rl_strbuf_str(&out), stdout);
        rl_strbuf_free(&out);
    }
    return rc;
}

int rl_cmd_image_prune(int argc, char **argv)
{
    rmi_opts_t o = {0};
    if (rl_cli_parse(&rl_cli_image_prune, argc, argv, &o) < 0) return RL_EXIT_FAILURE;
    bool all = o.all;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = {0};
    int r = rl_store_image_prune(s, all, &out, &err);
    fputs(rl_strbuf_str(&out), stdout);
    rl_strbuf_free(&out);
    return r < 0 ? rl_cli_fail(&err) : 0;
}
