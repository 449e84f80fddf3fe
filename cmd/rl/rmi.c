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

int rl_cmd_rmi(int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'}, {"all", no_argument, NULL, 'a'}, {0}};
    bool force = false, all = false;
    int c;
    while ((c = getopt_long(argc, argv, "+fa", opts, NULL)) != -1) {
        if (c == 'f')
            force = true;
        else if (c == 'a')
            all = true;
        else
            return rl_cli_bad_option("rmi", argv);
    }
    if (optind >= argc && !all) return rl_cli_usage("rmi", "give at least one image (or -a)");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    if (all) return remove_all(s, force);
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        rl_error_t err = RL_ERROR_INIT;
        rl_strbuf_t out = {0};
        if (rl_store_image_remove(s, argv[i], force, &out, &err) < 0) {
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
    static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'}, {"force", no_argument, NULL, 'f'}, {0}};
    bool all = false;
    int c;
    while ((c = getopt_long(argc, argv, "+af", opts, NULL)) != -1) {
        if (c == 'a')
            all = true;
        else if (c != 'f')
            return rl_cli_bad_option("image prune", argv);
    }
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_strbuf_t out = {0};
    int r = rl_store_image_prune(s, all, &out, &err);
    fputs(rl_strbuf_str(&out), stdout);
    rl_strbuf_free(&out);
    return r < 0 ? rl_cli_fail(&err) : 0;
}
