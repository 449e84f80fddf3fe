/* SPDX-License-Identifier: Apache-2.0 */
/* Removing images: untag, delete, prune; layers no image uses go too. */
#ifndef RL_STORAGE_IMAGE_REMOVE_H
#define RL_STORAGE_IMAGE_REMOVE_H

#include <stdbool.h>

#include "pkg/util/strbuf.h"
#include "store.h"

/* rmi WHAT: a name that is one of several only untags; otherwise the image
 * goes ("Untagged: ..."/"Deleted: ..." lines appended to out). In use by a
 * container: err->exit 2 unless force (then the containers go too); not
 * known: err->exit 1. */
int rl_store_image_remove(rl_store_t *s, const char *what, bool force, rl_strbuf_t *out,
                          rl_error_t *err);
/* rmi -a: every image (in use: err->exit 2 unless force). */
int rl_store_image_remove_all(rl_store_t *s, bool force, rl_strbuf_t *out, rl_error_t *err);
/* Remove dangling images (all unused with all) not used by containers. */
int rl_store_image_prune(rl_store_t *s, bool all, rl_strbuf_t *out, rl_error_t *err);

#endif
