/* SPDX-License-Identifier: Apache-2.0 */
/* `rl info`: where the store is, which storage driver and why, the id
 * mapping and versions: what a user checks first when something is off. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef RL_VERSION
#define RL_VERSION "dev"
#endif
#include "pkg/util/cleanup.h"
#include "rootless/idmap.h"
#include "rootless/rundir.h"
#include "storage/driver.h"

int rl_cmd_info(int argc, char **argv)
{
    (void)argc, (void)argv;
    rl_autostore rl_store_t *s = rl_cli_store();
    if (!s) return RL_EXIT_FAILURE;
    rl_error_t err = RL_ERROR_INIT;
    rl_store_driver_t d;
    rl_autofree char *reason = NULL;
    if (rl_store_driver(s, rl_global.storage_driver, &d, &reason, &err) < 0)
        return rl_cli_fail(&err);
    rl_autofree char *run = rl_rundir_base(&err);
    if (!run) return rl_cli_fail(&err);
    rl_autofree rl_idmap_t *u = NULL, *g = NULL;
    size_t nu = 0, ng = 0;
    if (geteuid() != 0 && rl_idmap_default(geteuid(), getegid(), &u, &nu, &g, &ng, &err) < 0)
        return rl_cli_fail(&err);
    rl_autofree char *um = nu ? rl_idmap_format(u, nu) : xstrdup("(none: running as root)\n");
    printf("host:\n  rootless: %s\n  uid: %u\n  idMappings:\n", geteuid() ? "true" : "false",
           (unsigned)geteuid());
    for (char *save = NULL, *l = strtok_r(um, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        printf("    - %s\n", l);
    printf("store:\n  graphRoot: %s\n  runRoot: %s/rl\n  graphDriverName: %s\n  graphDriverReason: "
           "%s\n",
           s->root, run, rl_store_driver_name(d), reason);
    printf("version:\n  rl: %s\n", RL_VERSION);
    return 0;
}
