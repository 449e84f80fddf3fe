/* SPDX-License-Identifier: Apache-2.0 */
/* Writing a layer's tar entries beneath the layer's directory, for
 * storage/extract.c. The directories an entry goes into stay open from the
 * entry before (a stack of the path's directories, each opened beneath the
 * one above with no symlink followed, so nothing is written through a
 * symlink or outside): a file costs its own create, write, times and close.
 * libarchive's archive_write_disk checked every component of every path
 * instead, about 24 system calls per file of a deep tree, and was most of the
 * time of a pull of many files. Paths come checked (rl_extract_clean_path:
 * relative, no ".."); owners are checked against the mapping by the caller. */
#ifndef RL_STORAGE_DISKWRITE_H
#define RL_STORAGE_DISKWRITE_H

#include <archive.h>
#include <archive_entry.h>

#include "pkg/util/error.h"

typedef struct rl_diskw rl_diskw_t;

/* destfd: the layer's directory (kept by the caller). Sets umask 0 until
 * rl_diskw_free: modes are the entries' own. */
rl_diskw_t *rl_diskw_new(int destfd);
/* One entry at path (clean, not "."); its data read from in. link: the
 * hardlink's target (clean) or NULL. Device nodes are the caller's to skip. */
int rl_diskw_entry(rl_diskw_t *w, struct archive *in, struct archive_entry *e, const char *path,
                   const char *link, rl_error_t *err);
/* path is about to be replaced or removed by the caller (a whiteout): no
 * directory of it stays open. */
void rl_diskw_forget(rl_diskw_t *w, const char *path);
/* The directories' times, set last (their files changed them). */
int rl_diskw_finish(rl_diskw_t *w, rl_error_t *err);
void rl_diskw_free(rl_diskw_t *w);

#endif
