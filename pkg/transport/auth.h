/* SPDX-License-Identifier: Apache-2.0 */
/* Credentials from auth.json, where podman and docker keep them:
 * $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
 * ~/.config/containers/auth.json, ~/.docker/config.json (first with an entry). */
#ifndef RL_IMAGE_AUTH_H
#define RL_IMAGE_AUTH_H

#include "pkg/util/error.h"

/* The base64 "user:password" for repo ("host/path"), most specific key
 * first; NULL when none. A malformed file is an error naming it. */
int rl_auth_lookup(const char *repo, char **basic, rl_error_t *err);
/* The same over one file's JSON text (tests, fuzzing). */
int rl_auth_lookup_text(const char *text, size_t len, const char *name, const char *repo,
                        char **basic, rl_error_t *err);

#endif
