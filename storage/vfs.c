/* SPDX-License-Identifier: Apache-2.0 */
/* Layer copies for the vfs driver (see vfs.h). Applies each layer in turn,
 * base first: a 0:0 character device deletes, an opaque directory hides what
 * lay below, everything else is copied with owner, mode, times and xattrs. */
#include "vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/copytree.h"
#include "pkg/util/fs.h"
#include "rootless/keepid.h"
#include "rootless/userns.h"

static bool is_whiteout(const struct stat *st)
{
    return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool is_opaque(int fd)
{
    char v[2];
    return fgetxattr(fd, "user.overlay.opaque", v, sizeof v) == 1 ||
           fgetxattr(fd, "trusted.overlay.opaque", v, sizeof v) == 1;
}

/* The copy's owners: as stored, or shifted for a keep-id container. */
static void owner(void *arg, const struct stat *st, uid_t *u, gid_t *g)
{
    const rl_idshift_t *ids = arg;
    uint32_t x;
    if (ids->uids) *u = rl_idpair_shift(ids->uids, ids->n_uids, st->st_uid, &x) ? x : 65534;
    if (ids->gids) *g = rl_idpair_shift(ids->gids, ids->n_gids, st->st_gid, &x) ? x : 65534;
}

/* A whiteout deletes what lies below; an opaque directory hides it. */
static int layer_entry(void *arg, int sdir, int ddir, const char *name, const struct stat *st,
                       rl_error_t *err)
{
    (void)arg;
    struct stat dst;
    bool exists = fstatat(ddir, name, &dst, AT_SYMLINK_NOFOLLOW) == 0;
    if (is_whiteout(st)) return exists && rl_fs_rm_rf_at(ddir, name, err) < 0 ? -1 : 1;
    if (!exists || !S_ISDIR(st->st_mode) || !S_ISDIR(dst.st_mode)) return 0;
    rl_autoclose int s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s < 0) return rl_error_set(err, errno, "open '%s'", name);
    return is_opaque(s) && rl_fs_rm_rf_at(ddir, name, err) < 0 ? -1 : 0;
}

typedef struct vfs_arg {
    char *const *lower;
    const char *dest;
    rl_idshift_t ids;
} vfs_arg_t;

static int copy_child(void *arg, rl_strbuf_t *out, rl_error_t *err)
{
    vfs_arg_t *a = arg;
    (void)out;
    rl_autoclose int d = open(a->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return rl_error_set(err, errno, "open '%s'", a->dest);
    rl_copytree_t how = {owner, layer_entry, &a->ids};
    /* The root itself is ours (storage root); shifted, root's as the container sees it. */
    struct stat root = {0};
    uid_t u = 0;
    gid_t g = 0;
    owner(&a->ids, &root, &u, &g);
    if (fchown(d, u, g) < 0) return rl_error_set(err, errno, "set owner of '%s'", a->dest);
    size_t n = 0;
    while (a->lower[n])
        n++;
    while (n-- > 0) {
        rl_autoclose int s = open(a->lower[n], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s < 0 || rl_copytree(&how, s, d, err) < 0)
            return s < 0 ? rl_error_set(err, errno, "open '%s'", a->lower[n]) : -1;
    }
    return 0;
}

int rl_vfs_copy_layers(char *const *lower, const char *dest, const rl_idshift_t *shift,
                       rl_error_t *err)
{
    vfs_arg_t a = {lower, dest, {0}};
    if (shift) a.ids = *shift;
    if (rl_userns_run(copy_child, &a, NULL, err) < 0) return rl_error_wrap(err, "vfs copy");
    return 0;
}
