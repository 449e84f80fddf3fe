/* SPDX-License-Identifier: Apache-2.0 */
/* /dev in the container. An unprivileged user cannot mknod, so devices are
 * bind-mounted from the host; real root gets real nodes. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"
#include "resolve.h"

static const char *const default_devices[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
};

static const struct {
    const char *name, *target;
} dev_links[] = {
    {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},
};

static int bind_host_device(int rootfd, const char *path, rl_error_t *err)
{
    rl_autoclose int sfd = open(path, O_PATH | O_CLOEXEC);
    if (sfd < 0) return rl_error_set(err, errno, "device '%s' (bound from the host)", path);
    return rl_mount_bind_fd(sfd, rootfd, path, false, false, err);
}

/* Returns 0, or -1 with err set, or -1 with only errno set when mknod itself
 * was refused (so the caller can fall back to a bind mount). */
static int mknod_device(int rootfd, const rl_spec_device_t *d, rl_error_t *err)
{
    mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
    mode_t mode = type | (d->has_mode ? (d->mode & 07777) : 0666);
    const char *slash = strrchr(d->path, '/');
    rl_autofree char *dir = xstrndup(d->path, (size_t)(slash - d->path));
    if (*dir && rl_ensure_in_root(rootfd, dir, true, err) < 0) return -1;
    rl_autoclose int parent = rl_open_in_root(rootfd, *dir ? dir : "/", O_PATH | O_DIRECTORY, err);
    if (parent < 0) return -1;
    unlinkat(parent, slash + 1, 0);
    if (mknodat(parent, slash + 1, mode, makedev(d->major, d->minor)) < 0) return -1;
    /* mknod applies the umask; the spec's fileMode is exact */
    if (fchmodat(parent, slash + 1, mode & 07777, 0) < 0)
        return rl_error_set(err, errno, "chmod device '%s'", d->path);
    if ((d->has_uid || d->has_gid) &&
        fchownat(parent, slash + 1, d->has_uid ? d->uid : (uid_t)-1,
                 d->has_gid ? d->gid : (gid_t)-1, AT_SYMLINK_NOFOLLOW) < 0)
        return rl_error_set(err, errno, "chown device '%s'", d->path);
    return 0;
}

static int spec_device(int rootfd, const rl_spec_device_t *d, rl_error_t *err)
{
    if (mknod_device(rootfd, d, err) == 0) return 0;
    if (rl_error_is_set(err)) return -1;
    if (errno != EPERM) return rl_error_set(err, errno, "mknod '%s'", d->path);
    /* A fifo needs no privilege; anything else comes from the host. */
    return bind_host_device(rootfd, d->path, err);
}

static bool listed(const rl_spec_t *spec, const char *path)
{
    for (size_t i = 0; i < spec->n_devices; i++)
        if (!strcmp(spec->devices[i].path, path)) return true;
    return false;
}

int rl_devices_setup(int rootfd, const rl_spec_t *spec, rl_error_t *err)
{
    for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0]; i++) {
        if (listed(spec, default_devices[i])) continue;
        if (bind_host_device(rootfd, default_devices[i], err) < 0) return -1;
    }
    for (size_t i = 0; i < spec->n_devices; i++)
        if (spec_device(rootfd, &spec->devices[i], err) < 0)
            return rl_error_wrap(err, "linux.devices[%zu]", i);
    rl_autoclose int dev = rl_open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY, err);
    if (dev < 0) return -1;
    for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++) {
        /* an image's /dev/ptmx node is replaced by the link to our devpts */
        if (!strcmp(dev_links[i].name, "ptmx")) unlinkat(dev, "ptmx", 0);
        if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
            return rl_error_set(err, errno, "symlink /dev/%s", dev_links[i].name);
    }
    return 0;
}
