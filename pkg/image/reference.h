/* SPDX-License-Identifier: Apache-2.0 */
/* Image references: [registry[:port]/][namespace/]name[:tag][@sha256:digest]
 * as docker/distribution defines them. */
#ifndef RL_IMAGE_REFERENCE_H
#define RL_IMAGE_REFERENCE_H

#include <stdbool.h>

#include "pkg/util/error.h"

typedef struct rl_ref {
    char *domain; /* "docker.io", "localhost:5000"; NULL for a short name */
    char *path;   /* "library/busybox" */
    char *tag;    /* NULL when absent */
    char *digest; /* "sha256:..." or NULL */
} rl_ref_t;

/* Parse text; a short name keeps domain NULL. Errors name the reference. */
int rl_ref_parse(const char *text, rl_ref_t *ref, rl_error_t *err);
/* Fill the defaults: docker.io for no domain, library/ for docker.io's
 * one-component names, tag latest when there is neither tag nor digest. */
void rl_ref_normalize(rl_ref_t *ref);
void rl_ref_free(rl_ref_t *ref);
/* "domain/path:tag", "domain/path@digest", "domain/path:tag@digest". */
char *rl_ref_string(const rl_ref_t *ref);
/* "domain/path" */
char *rl_ref_repo(const rl_ref_t *ref);
/* Replace the domain (a short name qualified by a search registry). */
void rl_ref_set_domain(rl_ref_t *ref, const char *domain);
bool rl_ref_is_short(const rl_ref_t *ref);

#endif
