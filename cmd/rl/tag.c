/* SPDX-License-Identifier: Apache-2.0 */
/* `rl tag SOURCE TARGET...` and `rl image exists IMAGE`. */
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "cli.h"
#include "pkg/transport/import.h"
#include "pkg/util/cleanup.h"
#include "storage/images.h"

static int tag_all(rl_store_t *s, int argc, char **argv, rl_error_t *err)
{
    rl_store_image_db_t db;
    if (rl_store_image_db_load(s, &db, err) < 0) return -1;
    int idx = rl_store_image_db_find(&db, argv[1], err), r = idx < 0 ? -1 : 0;
    for (int i = 2; r == 0 && i < argc; i++) {
        rl_autofree char *name = rl_transport_local_name(argv[i], err);
        if (!name)
            r = -1;
        else
            rl_store_image_db_add_name(&db, (size_t)idx, name);
    }
    if (r == 0) r = rl_store_image_db_save(s, &db, err);
    rl_store_image_db_free(&db);
    return r;
}

int rl_cmd_tag(int argc, char **argv)
{
    if (argc < 3) return rl_cli_usage("tag", "usage: rl tag IMAGE TARGET_NAME...");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_store_lock(s, LOCK_EX, &err) < 0) return rl_cli_fail(&err);
    int r = tag_all(s, argc, argv, &err);
    rl_store_unlock(s);
    return r < 0 ? rl_cli_fail(&err) : 0;
}

int rl_cmd_image_exists(int argc, char **argv)
{
    if (argc != 2) return rl_cli_usage("image exists", "usage: rl image exists IMAGE");
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_store_image_db_t db;
    if (rl_store_image_db_read(s, &db, &err) < 0) return rl_cli_fail(&err);
    int idx = rl_store_image_db_find(&db, argv[1], &err);
    rl_store_image_db_free(&db);
    if (idx >= 0) return 0;
    /* Not known is the answer (1); a bad reference is an error (125). */
    if (rl_error_is(&err, RL_ERR_INVALID)) return rl_cli_fail(&err);
    rl_error_clear(&err);
    return 1;
}
