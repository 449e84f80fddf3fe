/* SPDX-License-Identifier: Apache-2.0 */
/* What is read back from a container's stored config.json once it exists:
 * a few fields, without parsing the whole spec again (rl ps reads one per
 * container). The only reader of a stored spec's JSON outside spec.c. */
#ifndef RL_SPEC_STORED_H
#define RL_SPEC_STORED_H

#include "pkg/util/error.h"

typedef struct rl_spec_stored {
    char **args;             /* process.args; NULL when there is no process */
    char **annotations;      /* "key=value"; never NULL */
    char *listener_path;     /* linux.seccomp.listenerPath, or NULL */
    char *listener_metadata; /* linux.seccomp.listenerMetadata, or NULL */
    int has_seccomp;         /* the spec has a linux.seccomp object */
} rl_spec_stored_t;

int rl_spec_stored_load(const char *path, rl_spec_stored_t *out, rl_error_t *err);
void rl_spec_stored_clear(rl_spec_stored_t *s);
/* The annotation's value, NULL when the spec does not have it. */
const char *rl_spec_stored_annotation(const rl_spec_stored_t *s, const char *key);
/* The container's stop signal: the image's (org.opencontainers.image.stopSignal
 * annotation) when it names one, else SIGTERM. */
int rl_spec_stored_stop_signal(const rl_spec_stored_t *s);

#endif
