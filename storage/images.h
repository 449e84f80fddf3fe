/* SPDX-License-Identifier: Apache-2.0 */
/* Images in the store: images.json (names, digests, layers → image id,
 * rewritten atomically under the store lock) and images/<id>/ with the
 * manifest and config as pulled. */
#ifndef RL_STORAGE_IMAGES_H
#define RL_STORAGE_IMAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

typedef struct rl_store_image {
    char *id;       /* hex sha256 of the config */
    char **names;   /* "docker.io/library/busybox:latest" */
    char **digests; /* manifest digests it was pulled by */
    char **layers;  /* chain ids, base first */
    char *created, *arch, *os;
    uint64_t size; /* sum of the layers' uncompressed sizes */
    int64_t added; /* when stored (unix time) */
} rl_store_image_t;

typedef struct rl_store_image_db {
    rl_store_image_t *v;
    size_t n;
} rl_store_image_db_t;

/* Load/save images.json; the caller holds the store lock (shared/exclusive). */
int rl_store_image_db_load(rl_store_t *s, rl_store_image_db_t *db, rl_error_t *err);
/* Load under the shared lock, released again (readers of the list). */
int rl_store_image_db_read(rl_store_t *s, rl_store_image_db_t *db, rl_error_t *err);
int rl_store_image_db_save(rl_store_t *s, const rl_store_image_db_t *db, rl_error_t *err);
void rl_store_image_db_free(rl_store_image_db_t *db);

/* Find by id, unique id prefix, full name, name@digest, or a short name
 * ("busybox" matches "<any registry>/[library/]busybox:latest", localhost
 * first). -1 and err when absent or ambiguous. */
int rl_store_image_db_find(const rl_store_image_db_t *db, const char *what, rl_error_t *err);
/* Name an image; the name leaves any other image that had it. */
void rl_store_image_db_add_name(rl_store_image_db_t *db, size_t idx, const char *name);
/* Remove name from image idx; returns false when it did not have it. */
bool rl_store_image_db_remove_name(rl_store_image_db_t *db, size_t idx, const char *name);
void rl_store_image_db_remove(rl_store_image_db_t *db, size_t idx);
/* Is layer hex used by any image? */
bool rl_store_image_db_uses_layer(const rl_store_image_db_t *db, const char *hex);

/* Record an image whose layers are stored: writes images/<id>/ (manifest
 * and config), then adds it with names and digest to images.json under the
 * exclusive lock. img->id and img->layers must be set. */
int rl_store_image_commit(rl_store_t *s, const rl_store_image_t *img, const char *manifest,
                          const char *config, rl_error_t *err);
/* images/<id>/<file> as text. */
int rl_store_image_read_file(rl_store_t *s, const char *id, const char *file, char **out,
                             rl_error_t *err);
/* The two halves of rl_store_image_commit, for a batch (rl load): stage writes
 * each image's directory; commit_all adds all of them, with their names,
 * to images.json in one atomic write, in time linear in the names. */
int rl_store_image_stage(rl_store_t *s, const rl_store_image_t *img, const char *manifest,
                         const char *config, rl_error_t *err);
int rl_store_image_commit_all(rl_store_t *s, const rl_store_image_t *imgs, size_t n,
                              rl_error_t *err);
void rl_store_image_clear(rl_store_image_t *img);

#endif
