/* SPDX-License-Identifier: Apache-2.0 */
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"

int rl_rundir_ensure_private(const char *path, rl_error_t *err)
{
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return rl_error_set(err, errno, "mkdir '%s'", path);
    /* O_NOFOLLOW: someone else's symlink in /tmp must not redirect us. */
    rl_autoclose int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "open '%s'", path);
    struct stat st;
    if (fstat(fd, &st) < 0) return rl_error_set(err, errno, "stat '%s'", path);
    if (st.st_uid != geteuid())
        return rl_error_set(err, 0, "'%s' belongs to uid %u, not to us", path, (unsigned)st.st_uid);
    if ((st.st_mode & 077) && fchmod(fd, 0700) < 0)
        return rl_error_set(err, errno, "chmod '%s'", path);
    return 0;
}

static bool usable_xdg(const char *dir)
{
    struct stat st;
    if (!dir || dir[0] != '/' || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) return false;
    /* After su/sudo -u the variable often still names the other user's dir. */
    return st.st_uid == geteuid() && access(dir, W_OK | X_OK) == 0;
}

char *rl_rundir_base(rl_error_t *err)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (geteuid() == 0 && (!xdg || !usable_xdg(xdg))) return xstrdup("/run");
    if (usable_xdg(xdg)) return xstrdup(xdg);
    if (xdg && *xdg) rl_debug("XDG_RUNTIME_DIR '%s' is not usable; falling back", xdg);
    char *tmp = xasprintf("/tmp/rl-%u", (unsigned)geteuid());
    rl_error_t terr = RL_ERROR_INIT;
    if (rl_rundir_ensure_private(tmp, &terr) == 0) return tmp;
    /* /tmp/rl-$UID squatted by another user: use the home directory instead. */
    rl_warn("runtime directory: %s; using ~/.cache/rl/run instead", terr.msg);
    rl_error_clear(&terr);
    free(tmp);
    const char *cache = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char *alt = cache && *cache == '/'
                    ? xasprintf("%s/rl/run", cache)
                    : xasprintf("%s/.cache/rl/run", home ? home : "/nonexistent");
    if (rl_fs_mkdir_p(alt, 0700, err) < 0 || rl_rundir_ensure_private(alt, err) < 0) {
        free(alt);
        return NULL;
    }
    return alt;
}
