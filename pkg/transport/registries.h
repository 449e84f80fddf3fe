/* SPDX-License-Identifier: Apache-2.0 */
/* containers-registries.conf(5): unqualified-search-registries, [[registry]]
 * (prefix, location, insecure, blocked, mirrors) and [aliases], read from
 * ~/.config/containers/registries.conf or /etc/containers/registries.conf
 * (and registries.conf.d), so a podman user's setup works unchanged. */
#ifndef RL_IMAGE_REGISTRIES_H
#define RL_IMAGE_REGISTRIES_H

#include <json-c/json.h>
#include <stdbool.h>

#include "pkg/util/error.h"

typedef struct rl_endpoint {
    char *host; /* "mirror.example:5000" */
    char *repo; /* path on that host */
    bool insecure;
} rl_endpoint_t;

typedef struct rl_registries {
    char **search;        /* unqualified-search-registries */
    json_object *regs;    /* [[registry]] tables, in order */
    json_object *aliases; /* short name → full name */
} rl_registries_t;

/* Load the user's file if it exists, else the system one. */
int rl_registries_load(rl_registries_t *r, rl_error_t *err);
/* Parse one file's text (tests, fuzzing); merges into r. */
int rl_registries_parse(rl_registries_t *r, const char *text, size_t len, const char *name,
                        rl_error_t *err);
void rl_registries_clear(rl_registries_t *r);

/* Full names to try for what the user typed: itself when qualified; the
 * alias; else one per search registry. */
int rl_registries_candidates(const rl_registries_t *r, const char *image, char ***names,
                             rl_error_t *err);
/* Where to fetch a full name (no tag/digest part: "host/repo"): mirrors
 * first, then the (possibly rewritten) location. A blocked registry is an error. */
int rl_registries_endpoints(const rl_registries_t *r, const char *repo, rl_endpoint_t **eps,
                            size_t *n, rl_error_t *err);
void rl_endpoints_free(rl_endpoint_t *eps, size_t n);

#endif
