/* SPDX-License-Identifier: Apache-2.0 */
/* Resolving `User` (name or id, with optional group) in the image's own
 * /etc/passwd and /etc/group, read from the layers top down. */
#ifndef RL_IMAGE_PASSWD_H
#define RL_IMAGE_PASSWD_H

#include <stdint.h>

#include "pkg/util/error.h"

typedef struct rl_image_user {
    uint32_t uid, gid;
    uint32_t *groups; /* supplementary groups from /etc/group */
    size_t n_groups;
    char *home;
} rl_image_user_t;

/* layers: diff dirs top first. spec: "name", "uid", "name:group", "uid:gid". */
int rl_image_user_resolve(char *const *layers, const char *spec, rl_image_user_t *u,
                          rl_error_t *err);
void rl_image_user_clear(rl_image_user_t *u);

/* The image's /etc/passwd (/etc/group) plus an entry for uid (gid) when it
 * has none, as keep-id containers get one; NULL when it has. Caller frees. */
char *rl_image_passwd_with(char *const *layers, const char *name, uint32_t uid, uint32_t gid,
                           const char *home);
char *rl_image_group_with(char *const *layers, const char *name, uint32_t gid);

#endif
