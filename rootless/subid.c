/* SPDX-License-Identifier: Apache-2.0 */
/* Subordinate ids through libsubid, with a cache in the runtime dir.
 *
 * libsubid links eleven shared objects (PAM, SELinux, audit...): loading it
 * costs every `rl run` about 3 ms for two lookups whose answer rarely
 * changes. So it is opened on first use (pkg/util/dl.h), and the answer is
 * kept in <rundir>/rl/subid, keyed by the user and the identity (inode,
 * size, mtime) of /etc/subuid, /etc/subgid, /etc/nsswitch.conf and
 * /etc/passwd (the files name users, not uids). The
 * cache is used only when nsswitch.conf names no "subid:" source: then
 * libsubid's answer is a function of those two files alone. With an NSS
 * plugin (LDAP, SSSD) every run asks libsubid. */
#include "subid.h"

#include <pwd.h>
#include <shadow/subid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/dl.h"
#include "pkg/util/fs.h"
#include "pkg/util/xalloc.h"
#include "rundir.h"

#define MAX_RANGES 64

// clang-format off
#define SUBID_SYMS(X) X(subid_init) X(subid_get_uid_ranges) X(subid_get_gid_ranges)
// clang-format on
RL_DL_TABLE(libsubid, SUBID_SYMS, "libsubid.so.4", "libsubid4")

static const char *const key_files[] = {"/etc/subuid", "/etc/subgid", "/etc/nsswitch.conf",
                                        "/etc/passwd"};
#define N_KEY_FILES (sizeof key_files / sizeof key_files[0])

/* What the cache is valid for; compared bytewise (built zeroed). */
typedef struct key {
    char magic[16];
    uint64_t uid;
    uint64_t st[N_KEY_FILES][4]; /* ino, size, mtime sec and nsec of key_files */
} cache_key_t;

typedef struct answer {
    uint32_t n[2]; /* uid ranges, gid ranges */
    rl_subid_range_t r[2][MAX_RANGES];
} answer_t;

static void make_key(uid_t uid, cache_key_t *k)
{
    memset(k, 0, sizeof *k);
    snprintf(k->magic, sizeof k->magic, "rl-subid-1");
    k->uid = uid;
    for (size_t i = 0; i < N_KEY_FILES; i++) {
        struct stat st;
        if (stat(key_files[i], &st) < 0) continue; /* absent: all zero */
        k->st[i][0] = st.st_ino, k->st[i][1] = (uint64_t)st.st_size;
        k->st[i][2] = (uint64_t)st.st_mtim.tv_sec, k->st[i][3] = (uint64_t)st.st_mtim.tv_nsec;
    }
}

/* True when nsswitch.conf has a "subid:" line: ranges come from a plugin. */
static bool nss_has_subid(void)
{
    rl_autofree char *text = NULL;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_read_file("/etc/nsswitch.conf", 1 << 20, &text, NULL, &err) < 0)
        return rl_error_clear(&err), false;
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
        line += strspn(line, " \t");
        if (!strncmp(line, "subid", 5) && strchr(" \t:", line[5])) return true;
    }
    return false;
}

static char *cache_path(void)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *base = rl_rundir_base(&err);
    if (!base) return rl_error_clear(&err), NULL;
    rl_autofree char *dir = xasprintf("%s/rl", base);
    if (rl_fs_mkdir_p(dir, 0700, &err) < 0) return rl_error_clear(&err), NULL;
    return xasprintf("%s/subid", dir);
}

static bool cache_load(const char *path, const cache_key_t *k, answer_t *a)
{
    rl_autofree char *data = NULL;
    size_t n = 0;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_read_file(path, 1 << 16, &data, &n, &err) < 0) return rl_error_clear(&err), false;
    if (n != sizeof *k + sizeof *a || memcmp(data, k, sizeof *k)) return false;
    memcpy(a, data + sizeof *k, sizeof *a);
    return a->n[0] <= MAX_RANGES && a->n[1] <= MAX_RANGES;
}

static void cache_save(const char *path, const cache_key_t *k, const answer_t *a)
{
    char data[sizeof *k + sizeof *a];
    memcpy(data, k, sizeof *k);
    memcpy(data + sizeof *k, a, sizeof *a);
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_write_volatile(path, data, sizeof data, 0600, &err) < 0) rl_error_clear(&err);
}

/* Ask libsubid for one kind of ranges of NAME into a->r[kind]. */
static int ask_libsubid(const char *name, int kind, answer_t *a, rl_error_t *err)
{
    if (libsubid_load(err) < 0) return -1;
    static int initialised;
    if (!initialised) {
        /* libsubid prints its own diagnostics to stderr unless told otherwise. */
        libsubid.subid_init("rl", fopen("/dev/null", "we"));
        initialised = 1;
    }
    struct subid_range *r = NULL;
    int count =
        kind ? libsubid.subid_get_gid_ranges(name, &r) : libsubid.subid_get_uid_ranges(name, &r);
    if (count < 0)
        return rl_error_set(err, 0, "look up subordinate %s ranges of '%s'", kind ? "gid" : "uid",
                            name);
    a->n[kind] = count > MAX_RANGES ? MAX_RANGES : (uint32_t)count;
    for (uint32_t i = 0; i < a->n[kind]; i++)
        a->r[kind][i] = (rl_subid_range_t){r[i].start, r[i].count};
    free(r);
    return 0;
}

static int lookup(uid_t uid, answer_t *a, rl_error_t *err)
{
    memset(a, 0, sizeof *a);
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) != 0 || !res)
        return 0; /* no passwd entry (HPC uid without NSS): no ranges */
    bool cacheable = !nss_has_subid();
    cache_key_t k;
    make_key(uid, &k);
    rl_autofree char *path = cacheable ? cache_path() : NULL;
    if (path && cache_load(path, &k, a)) return 0;
    if (ask_libsubid(pw.pw_name, 0, a, err) < 0 || ask_libsubid(pw.pw_name, 1, a, err) < 0)
        return -1;
    if (path) cache_save(path, &k, a);
    return 0;
}

int rl_subid_ranges(uid_t uid, int gids, rl_subid_range_t **ranges, size_t *n, rl_error_t *err)
{
    static answer_t memo;
    static uid_t memo_uid = (uid_t)-1;
    if (memo_uid != uid) {
        if (lookup(uid, &memo, err) < 0) return -1;
        memo_uid = uid;
    }
    int kind = gids ? 1 : 0;
    *n = memo.n[kind];
    *ranges = xcalloc(*n + 1, sizeof **ranges);
    memcpy(*ranges, memo.r[kind], *n * sizeof **ranges);
    return 0;
}
