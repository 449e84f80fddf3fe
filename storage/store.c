/* SPDX-License-Identifier: Apache-2.0 */
/* Store root, locking and leftovers (see store.h). */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layers.h"
#include "pkg/util/lock.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "rootless/userns.h"

char *rl_store_default_root(void)
{
    if (geteuid() == 0) return xstrdup("/var/lib/rl");
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/') return xasprintf("%s/rl", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home) home = "/tmp";
    return xasprintf("%s/.local/share/rl", home);
}

static int open_store(rl_store_t *s, rl_error_t *err)
{
    static const char *const dirs[] = {"layers", "images", "containers", "locks", "tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        rl_autofree char *p = rl_store_path(s, "%s", dirs[i]);
        if (rl_fs_mkdir_p(p, 0700, err) < 0) return -1;
    }
    rl_autofree char *lock = rl_store_path(s, "store.lock");
    s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lock_fd < 0) return rl_error_set(err, errno, "open store lock '%s'", lock);
    return 0;
}

rl_store_t *rl_store_open(const char *root, rl_error_t *err)
{
    rl_store_t *s = xcalloc(1, sizeof *s);
    s->root = root ? xstrdup(root) : rl_store_default_root();
    s->lock_fd = -1;
    s->rootless = geteuid() != 0;
    if (open_store(s, err) < 0) {
        rl_error_wrap(err, "store '%s'", s->root);
        rl_store_free(s);
        return NULL;
    }
    return s;
}

void rl_store_free(rl_store_t *s)
{
    if (!s) return;
    if (s->lock_fd >= 0) close(s->lock_fd);
    free(s->root);
    free(s);
}

int rl_store_lock(rl_store_t *s, int mode, rl_error_t *err)
{
    if (s->locked == mode) return 0;
    if (rl_lock_fd(s->lock_fd, mode, s->root, err) < 0) return rl_error_wrap(err, "store");
    s->locked = mode;
    return 0;
}

void rl_store_unlock(rl_store_t *s)
{
    if (!s->locked) return;
    rl_error_t ignored = RL_ERROR_INIT;
    if (rl_lock_fd(s->lock_fd, LOCK_UN, s->root, &ignored) < 0) rl_error_clear(&ignored);
    s->locked = 0;
}

char *rl_store_tmp_path(const rl_store_t *s, const char *what)
{
    return rl_store_path(s, "tmp/%s-%d", what, (int)getpid());
}

char *rl_store_path(const rl_store_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *rest = NULL;
    if (vasprintf(&rest, fmt, ap) < 0) abort();
    va_end(ap);
    char *p = xasprintf("%s/%s", s->root, rest);
    free(rest);
    return p;
}

/* tmp/<kind>-<pid> or tmp/<kind>-<key>-<pid>, made by the rl with that pid.
 * Stale once that pid is gone; a layer being extracted is also guarded by
 * its key's lock (the store may be shared by machines with their own pids). */
static bool leftover_stale(rl_store_t *s, const char *name, int *lock)
{
    *lock = -1;
    const char *dash = strrchr(name, '-');
    char *end = NULL;
    long pid = dash ? strtol(dash + 1, &end, 10) : 0;
    if (!dash || !end || *end || pid <= 0) return false; /* not ours */
    if (kill((pid_t)pid, 0) == 0 || errno == EPERM) return false;
    char key[128];
    if (strncmp(name, "layer-", 6) || sscanf(name, "layer-%127[^-]-", key) != 1) return true;
    rl_error_t err = RL_ERROR_INIT;
    *lock = rl_layer_trylock(s, key, &err);
    rl_error_clear(&err);
    return *lock >= 0;
}

void rl_store_clean_leftovers(rl_store_t *s)
{
    rl_autofree char *tmp = rl_store_path(s, "tmp");
    DIR *d = opendir(tmp);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        int lock;
        if (e->d_name[0] == '.' || !leftover_stale(s, e->d_name, &lock)) continue;
        rl_autofree char *p = rl_store_path(s, "tmp/%s", e->d_name);
        rl_debug("removing leftover '%s'", p);
        rl_error_t err = RL_ERROR_INIT;
        if (rl_userns_rm_rf(p, &err) < 0) {
            rl_warn("cannot remove leftover '%s': %s", p, err.msg);
            rl_error_clear(&err);
        }
        if (lock >= 0) close(lock);
    }
    closedir(d);
}

static int layers_lock(rl_store_t *s, int how, rl_error_t *err)
{
    rl_autofree char *p = rl_store_path(s, "locks/layers");
    return rl_lock_path(p, RL_LOCK_FILE_CREATE, how, err);
}

int rl_store_hold_layers(rl_store_t *s, rl_error_t *err)
{
    return layers_lock(s, LOCK_SH, err);
}

int rl_store_try_own_layers(rl_store_t *s)
{
    rl_error_t err = RL_ERROR_INIT;
    int fd = layers_lock(s, LOCK_EX | LOCK_NB, &err);
    rl_error_clear(&err);
    return fd;
}

int rl_store_reset(rl_store_t *s, rl_error_t *err)
{
    if (rl_store_lock(s, LOCK_EX, err) < 0) return -1;
    /* Files in layers and upper dirs belong to subordinate ids. */
    int r = rl_userns_rm_rf(s->root, err);
    rl_store_unlock(s);
    return r;
}
