/* SPDX-License-Identifier: Apache-2.0 */
/* File system helpers: crash-safe writes, mkdir -p, rm -rf, whole-file reads. */
#ifndef RL_UTIL_FS_H
#define RL_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Write data to dirfd/name through a temporary file: write, fsync, rename,
 * fsync the directory. Readers see the old or the new file, never a part. */
int rl_fs_write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                          rl_error_t *err);
int rl_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                       rl_error_t *err);
/* The same without fsync: for volatile state (the runtime dir is a tmpfs
 * gone at reboot); readers still never see a partial file. */
int rl_fs_write_volatile(const char *path, const void *data, size_t len, mode_t mode,
                         rl_error_t *err);
/* One of the two, as the caller's record asks: durable for what must survive
 * a crash, not for what dies with its owner (a --rm container's files). */
int rl_fs_write_replace(const char *path, const void *data, size_t len, mode_t mode, bool durable,
                        rl_error_t *err);

/* write(2) until all of data is out (EINTR retried); -1 with errno. */
int rl_fs_write_all(int fd, const void *data, size_t len);

/* A pid file (--pid-file, --conmon-pidfile): the decimal pid, replaced
 * whole (readers never see a part) and not synced (a pid is stale after a
 * reboot anyway), as runc writes it. */
int rl_fs_write_pid_file(const char *path, pid_t pid, rl_error_t *err);

/* mkdir -p; existing directories are fine. */
int rl_fs_mkdir_p(const char *path, mode_t mode, rl_error_t *err);

/* rm -rf of dirfd/name without following symlinks; a missing name is fine. */
int rl_fs_rm_rf_at(int dirfd, const char *name, rl_error_t *err);
int rl_fs_rm_rf(const char *path, rl_error_t *err);

/* Read a whole file (at most max bytes, else an error); *out is NUL-terminated. */
int rl_fs_read_file(const char *path, size_t max, char **out, size_t *len, rl_error_t *err);
int rl_fs_read_fd(int fd, const char *name, size_t max, char **out, size_t *len, rl_error_t *err);

/* A file of settings, one per line (--env-file, --label-file, --cidfile):
 * its lines with surrounding blanks (and a CR) dropped, empty lines and
 * "#" comments skipped; *lines is NULL-terminated. */
int rl_fs_read_lines(const char *path, char ***lines, rl_error_t *err);

/* Write a small string to an existing file (procfs/sysfs knobs). */
int rl_fs_write_string(const char *path, const char *s, rl_error_t *err);

bool rl_fs_exists(const char *path);
/* rel under the user's configuration dir: $XDG_CONFIG_HOME when it is an
 * absolute path, else $HOME/.config (as containers' tools read it). */
char *rl_user_config_path(const char *rel);
/* fn(path) for each file of dir whose name ends in suffix, in name order
 * (a config drop-in directory); a missing dir has none. Stops at the first
 * error. */
typedef int (*rl_fs_dropin_fn)(const char *path, void *ctx, rl_error_t *err);
int rl_fs_each_dropin(const char *dir, const char *suffix, rl_fs_dropin_fn fn, void *ctx,
                      rl_error_t *err);
/* Bytes in the files under path (apparent sizes, not following links);
 * what cannot be read counts as 0. */
unsigned long long rl_fs_du(const char *path);

#endif
