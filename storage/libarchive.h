/* SPDX-License-Identifier: Apache-2.0 */
/* libarchive, opened on first use (see pkg/util/dl.h): include this
 * instead of <archive.h>; call rl_libarchive_load(err) before the first call. */
#ifndef RL_STORAGE_LIBARCHIVE_H
#define RL_STORAGE_LIBARCHIVE_H

#include <archive.h>
#include <archive_entry.h>

#include "pkg/util/dl.h"

#define RL_LIBARCHIVE_SYMS(X)                                                                      \
    X(archive_entry_atime)                                                                         \
    X(archive_entry_atime_is_set)                                                                  \
    X(archive_entry_atime_nsec)                                                                    \
    X(archive_entry_filetype)                                                                      \
    X(archive_entry_gid)                                                                           \
    X(archive_entry_hardlink)                                                                      \
    X(archive_entry_mtime)                                                                         \
    X(archive_entry_mtime_is_set)                                                                  \
    X(archive_entry_mtime_nsec)                                                                    \
    X(archive_entry_pathname)                                                                      \
    X(archive_entry_perm)                                                                          \
    X(archive_entry_set_hardlink)                                                                  \
    X(archive_entry_set_pathname)                                                                  \
    X(archive_entry_set_perm)                                                                      \
    X(archive_entry_size)                                                                          \
    X(archive_entry_symlink)                                                                       \
    X(archive_entry_uid)                                                                           \
    X(archive_entry_xattr_next)                                                                    \
    X(archive_entry_xattr_reset)                                                                   \
    X(archive_error_string)                                                                        \
    X(archive_read_data_block)                                                                     \
    X(archive_read_free)                                                                           \
    X(archive_read_new)                                                                            \
    X(archive_read_next_header)                                                                    \
    X(archive_read_open)                                                                           \
    X(archive_read_open_filename)                                                                  \
    X(archive_read_support_filter_gzip)                                                            \
    X(archive_read_support_filter_none)                                                            \
    X(archive_read_support_filter_zstd)                                                            \
    X(archive_read_support_format_tar)                                                             \
    X(archive_set_error)                                                                           \
    X(archive_write_close)                                                                         \
    X(archive_write_data_block)                                                                    \
    X(archive_write_disk_new)                                                                      \
    X(archive_write_disk_set_options)                                                              \
    X(archive_write_finish_entry)                                                                  \
    X(archive_write_free)                                                                          \
    X(archive_write_header)

// clang-format on

extern struct rl_libarchive {
    RL_LIBARCHIVE_SYMS(RL_DL_MEMBER)
} rl_libarchive;

int rl_libarchive_load(rl_error_t *err);

#define archive_entry_atime              rl_libarchive.archive_entry_atime
#define archive_entry_atime_is_set       rl_libarchive.archive_entry_atime_is_set
#define archive_entry_atime_nsec         rl_libarchive.archive_entry_atime_nsec
#define archive_entry_filetype           rl_libarchive.archive_entry_filetype
#define archive_entry_mtime              rl_libarchive.archive_entry_mtime
#define archive_entry_mtime_is_set       rl_libarchive.archive_entry_mtime_is_set
#define archive_entry_mtime_nsec         rl_libarchive.archive_entry_mtime_nsec
#define archive_entry_symlink            rl_libarchive.archive_entry_symlink
#define archive_entry_xattr_next         rl_libarchive.archive_entry_xattr_next
#define archive_entry_xattr_reset        rl_libarchive.archive_entry_xattr_reset
#define archive_entry_gid                rl_libarchive.archive_entry_gid
#define archive_entry_hardlink           rl_libarchive.archive_entry_hardlink
#define archive_entry_pathname           rl_libarchive.archive_entry_pathname
#define archive_entry_perm               rl_libarchive.archive_entry_perm
#define archive_entry_set_hardlink       rl_libarchive.archive_entry_set_hardlink
#define archive_entry_set_pathname       rl_libarchive.archive_entry_set_pathname
#define archive_entry_set_perm           rl_libarchive.archive_entry_set_perm
#define archive_entry_size               rl_libarchive.archive_entry_size
#define archive_entry_uid                rl_libarchive.archive_entry_uid
#define archive_error_string             rl_libarchive.archive_error_string
#define archive_read_data_block          rl_libarchive.archive_read_data_block
#define archive_read_free                rl_libarchive.archive_read_free
#define archive_read_new                 rl_libarchive.archive_read_new
#define archive_read_next_header         rl_libarchive.archive_read_next_header
#define archive_read_open                rl_libarchive.archive_read_open
#define archive_read_open_filename       rl_libarchive.archive_read_open_filename
#define archive_read_support_filter_gzip rl_libarchive.archive_read_support_filter_gzip
#define archive_read_support_filter_none rl_libarchive.archive_read_support_filter_none
#define archive_read_support_filter_zstd rl_libarchive.archive_read_support_filter_zstd
#define archive_read_support_format_tar  rl_libarchive.archive_read_support_format_tar
#define archive_set_error                rl_libarchive.archive_set_error
#define archive_write_close              rl_libarchive.archive_write_close
#define archive_write_data_block         rl_libarchive.archive_write_data_block
#define archive_write_disk_new           rl_libarchive.archive_write_disk_new
#define archive_write_disk_set_options   rl_libarchive.archive_write_disk_set_options
#define archive_write_finish_entry       rl_libarchive.archive_write_finish_entry
#define archive_write_free               rl_libarchive.archive_write_free
#define archive_write_header             rl_libarchive.archive_write_header

#endif
