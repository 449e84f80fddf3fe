/* SPDX-License-Identifier: Apache-2.0 */
/* Layer extraction (see extract.h): libarchive reads the tar stream,
 * storage/diskwrite.c writes its entries, never through a symlink; our own
 * checks come first and refuse absolute and ".." paths by name, so a
 * hostile layer fails as a whole. */
#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "decompress.h"
#include "diskwrite.h"
#include "readahead.h"
#include "pkg/util/cleanup.h"
#include "storage/libarchive.h"
#include "pkg/util/fs.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define WH_META   ".wh..wh."

uint64_t rl_extract_default_limit(void)
{
    const char *env = getenv("RL_LAYER_SIZE_LIMIT");
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (!*end && v > 0) return v;
    }
    return 64ULL << 30; /* 64 GiB */
}

int rl_extract_clean_path(const char *path, char *out, size_t size, rl_error_t *err)
{
    if (path[0] == '/')
        return rl_error_set(err, 0, "layer entry '%s': absolute path refused", path);
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
    if (!strcmp(path, ".")) path = "";
    size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    if (len >= size) return rl_error_set(err, 0, "layer entry '%.64s...': path too long", path);
    memcpy(out, path, len);
    out[len] = 0;
    /* Any ".." component could climb out of the layer. */
    for (const char *c = out; *c;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return rl_error_set(err, 0, "layer entry '%s': '..' in path refused", path);
        c += n;
        while (*c == '/')
            c++;
    }
    return 0;
}

typedef struct ctx {
    const rl_extract_opts_t *o;
    rl_decomp_t *dc;
    rl_readahead_t *ra;
    rl_diskw_t *w;
    rl_error_t *err; /* the reader's error, reported after libarchive gives up */
    int destfd;
    uint32_t uids, gids; /* ids mapped in this namespace: 0 .. n-1 */
} ctx_t;

static la_ssize_t read_cb(struct archive *a, void *data, const void **buf)
{
    ctx_t *c = data;
    ssize_t n = rl_readahead_next(c->ra, buf, c->err);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", c->err->msg);
        return -1;
    }
    return n;
}

/* How many ids the namespace maps, from 0 (our maps are contiguous). */
static uint32_t mapped_count(const char *file)
{
    rl_autofree char *text = NULL;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_read_file(file, 65536, &text, NULL, &e) < 0) {
        rl_error_clear(&e);
        return 1;
    }
    uint64_t total = 0;
    unsigned long inside, outside, count;
    for (char *line = text; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside + count > total)
            total = inside + count;
    return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* Open the directory path (relative, clean) beneath destfd, creating it;
 * never through a symlink. */
static int open_dir_beneath(int destfd, const char *path, rl_error_t *err)
{
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve =
                               RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
    if (!*path) return fcntl(destfd, F_DUPFD_CLOEXEC, 3);
    int fd = (int)syscall(SYS_openat2, destfd, path, &how, sizeof how);
    if (fd >= 0 || errno != ENOENT) {
        if (fd < 0) rl_error_set(err, errno, "layer directory '%s'", path);
        return fd;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    const char *name = slash ? slash + 1 : parent;
    if (slash) *slash = 0;
    rl_autoclose int pfd = open_dir_beneath(destfd, slash ? parent : "", err);
    if (pfd < 0) return -1;
    rl_autoclose int real = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (real < 0 || (mkdirat(real, name, 0755) < 0 && errno != EEXIST))
        return rl_error_set(err, errno, "create layer directory '%s'", path);
    fd = (int)syscall(SYS_openat2, destfd, path, &how, sizeof how);
    if (fd < 0) rl_error_set(err, errno, "layer directory '%s'", path);
    return fd;
}

/* ".wh..wh..opq" marks its directory opaque; ".wh.NAME" deletes NAME. */
static int whiteout(ctx_t *c, const char *path, rl_error_t *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    char name[NAME_MAX + 1];
    if (strlen(base) > NAME_MAX)
        return rl_error_set(err, 0, "layer entry '%s': name too long", path);
    memcpy(name, base, strlen(base) + 1);
    if (slash)
        *slash = 0;
    else
        dir[0] = 0;
    rl_autoclose int pfd = open_dir_beneath(c->destfd, dir, err);
    if (pfd < 0) return -1;
    rl_autoclose int real = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (real < 0) return rl_error_set(err, errno, "open layer directory '%s'", dir);
    if (!strcmp(name, WH_OPAQUE)) {
        const char *attr = c->o->rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";
        if (fsetxattr(real, attr, "y", 1, 0) < 0)
            return rl_error_set(err, errno, "mark '%s' opaque", *dir ? dir : "/");
        return 0;
    }
    if (!strncmp(name, WH_META, strlen(WH_META))) return 0; /* aufs bookkeeping */
    const char *victim = name + strlen(WH_PREFIX);
    if (!*victim || !strcmp(victim, ".") || !strcmp(victim, ".."))
        return rl_error_set(err, 0, "layer entry '%s': invalid whiteout refused", path);
    /* Overlay's whiteout: a 0:0 character device (unprivileged since 5.8). */
    unlinkat(real, victim, 0);
    if (mknodat(real, victim, S_IFCHR | 0, makedev(0, 0)) < 0)
        return rl_error_set(err, errno, "create whiteout for '%s'", path);
    return 0;
}

static int check_owner(ctx_t *c, struct archive_entry *e, const char *path, rl_error_t *err)
{
    la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
    if (uid < 0 || uid >= c->uids || gid < 0 || gid >= c->gids)
        return rl_error_set(err, 0,
                            "layer entry '%s' is owned by %lld:%lld, beyond the %u uids/%u gids "
                            "mapped for you (add subordinate ids with usermod --add-subuids "
                            "and --add-subgids)",
                            path, (long long)uid, (long long)gid, c->uids, c->gids);
    return 0;
}

/* "./": the layer root takes its mode and owner (the tar's view of "/"). */
static int root_entry(ctx_t *c, struct archive_entry *e, rl_error_t *err)
{
    if (archive_entry_filetype(e) != AE_IFDIR)
        return rl_error_set(err, 0, "layer entry '.': not a directory");
    if (check_owner(c, e, ".", err) < 0) return -1;
    if (fchown(c->destfd, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e)) < 0 ||
        fchmod(c->destfd, archive_entry_perm(e) & 07777) < 0)
        return rl_error_set(err, errno, "set owner and mode of the layer root");
    return 0;
}

/* One entry; returns 1 when it was skipped as a device node. */
static int one_entry(ctx_t *c, struct archive *in, struct archive_entry *e, rl_error_t *err)
{
    char path[PATH_MAX];
    if (rl_extract_clean_path(archive_entry_pathname(e), path, sizeof path, err) < 0) return -1;
    if (!*path) return root_entry(c, e, err);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!strncmp(base, WH_PREFIX, strlen(WH_PREFIX))) {
        rl_diskw_forget(c->w, path);
        return whiteout(c, path, err);
    }
    mode_t type = archive_entry_filetype(e);
    if (type == AE_IFCHR || type == AE_IFBLK) return 1;
    const char *link = archive_entry_hardlink(e);
    char target[PATH_MAX];
    if (link) {
        if (rl_extract_clean_path(link, target, sizeof target, err) < 0) return -1;
        if (!*target) return rl_error_set(err, 0, "layer entry '%s': hardlink to '/'", path);
    }
    if (check_owner(c, e, path, err) < 0) return -1;
    return rl_diskw_entry(c->w, in, e, path, link ? target : NULL, err);
}

static int extract_all(ctx_t *c, struct archive *in, rl_extract_result_t *res, rl_error_t *err)
{
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
        int s = one_entry(c, in, e, err);
        if (s < 0) return -1;
        res->devices_skipped += (unsigned)s;
    }
    if (r != ARCHIVE_EOF) {
        if (rl_error_is_set(c->err)) return -1;
        return rl_error_set(err, 0, "layer: %s", archive_error_string(in));
    }
    return rl_diskw_finish(c->w, err);
}

int rl_extract_layer(const rl_extract_opts_t *o, rl_extract_result_t *res, rl_error_t *err)
{
    memset(res, 0, sizeof *res);
    if (rl_libarchive_load(err) < 0) return -1;
    rl_autoclose int destfd = open(o->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (destfd < 0) return rl_error_set(err, errno, "open layer directory '%s'", o->dest);
    ctx_t *c = xcalloc(1, sizeof *c);
    c->o = o;
    c->err = err;
    c->destfd = destfd;
    c->dc = rl_decomp_new(o->in_fd, o->limit, err);
    if (!c->dc) {
        free(c);
        return -1;
    }
    c->ra = rl_readahead_start(c->dc, err);
    c->uids = mapped_count("/proc/self/uid_map");
    c->gids = mapped_count("/proc/self/gid_map");
    struct archive *in = archive_read_new();
    archive_read_support_format_tar(in);
    c->w = rl_diskw_new(destfd);
    int r = -1;
    if (c->ra && archive_read_open(in, c, NULL, read_cb, NULL) != ARCHIVE_OK) {
        if (!rl_error_is_set(err)) rl_error_set(err, 0, "layer: %s", archive_error_string(in));
    } else if (c->ra && extract_all(c, in, res, err) == 0 &&
               rl_readahead_finish(c->ra, res->blob, res->diff, err) == 0) {
        res->blob_size = rl_decomp_in_bytes(c->dc);
        res->tar_size = rl_decomp_out_bytes(c->dc);
        r = 0;
    }
    archive_read_free(in);
    rl_diskw_free(c->w);
    rl_readahead_stop(c->ra);
    rl_decomp_free(c->dc);
    free(c);
    return r;
}
