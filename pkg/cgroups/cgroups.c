/* SPDX-License-Identifier: Apache-2.0 */
/* Finding a delegated cgroup v2 subtree and putting a container there. */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

char *rl_cgroup_of(const char *self, const char *controller)
{
    size_t cl = strlen(controller);
    for (const char *l = self; l && *l;) {
        const char *end = strchr(l, '\n');
        size_t len = end ? (size_t)(end - l) : strlen(l);
        const char *c = memchr(l, ':', len);
        const char *p = c ? memchr(c + 1, ':', len - (size_t)(c + 1 - l)) : NULL;
        if (p && (size_t)(p - c - 1) == cl && !strncmp(c + 1, controller, cl) && p + 1 < l + len)
            return xstrndup(p + 1, len - (size_t)(p + 1 - l));
        l = end ? end + 1 : NULL;
    }
    return NULL;
}

static bool owned_dir(const char *path, uid_t uid)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid &&
           access(path, W_OK) == 0;
}

/* The highest cgroup on our path that we own: systemd's delegation point.
 * Outside one (an ssh session scope), try our user@UID.service. */
static char *delegation_point(const char *root, const char *self, uid_t uid)
{
    rl_autofree char *own = rl_cgroup_of(self, "");
    rl_autofree char *best = NULL;
    if (own) {
        rl_autofree char *p = xasprintf("%s%s", root, own);
        size_t rlen = strlen(root);
        while (strlen(p) > rlen) {
            if (owned_dir(p, uid)) {
                free(best);
                best = xstrdup(p);
            } else if (best) {
                break;
            }
            *strrchr(p, '/') = '\0';
        }
    }
    if (best) return rl_steal_ptr(&best);
    char *svc = xasprintf("%s/user.slice/user-%u.slice/user@%u.service", root, (unsigned)uid,
                          (unsigned)uid);
    if (owned_dir(svc, uid)) return svc;
    free(svc);
    return NULL;
}

/* Enable in dir/cgroup.subtree_control the controllers the limits use. */
static int enable_controllers(const char *dir, const rl_cgroup_limits_t *l, rl_error_t *err)
{
    rl_autofree char *ctl = xasprintf("%s/cgroup.controllers", dir);
    rl_autofree char *avail = NULL;
    if (rl_fs_read_file(ctl, 4096, &avail, NULL, err) < 0) return -1;
    for (size_t i = 0; i < l->n; i++) {
        rl_autofree char *c = xstrndup(l->files[i], strcspn(l->files[i], "."));
        char pad[64];
        snprintf(pad, sizeof pad, " %s ", c);
        rl_autofree char *have = xasprintf(" %s ", avail);
        for (char *s = have; *s; s++)
            if (*s == '\n') *s = ' ';
        if (!strstr(have, pad))
            return rl_error_set(err, 0,
                                "%s: the '%s' controller is not delegated to this user "
                                "(available: %s)",
                                l->first, c, avail[0] ? avail : "none");
        rl_autofree char *sub = xasprintf("%s/cgroup.subtree_control", dir);
        rl_autofree char *plus = xasprintf("+%s", c);
        if (rl_fs_write_string(sub, plus, err) < 0) return -1;
    }
    return 0;
}

/* O_CREAT is harmless on cgroupfs (the file exists, or creating it is
 * refused) and lets the tests use a plain directory tree. */
int rl_cgroup_write(const char *dir, const char *file, const char *value, rl_error_t *err)
{
    rl_autofree char *f = xasprintf("%s/%s", dir, file);
    rl_autoclose int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, value, strlen(value)) < 0)
        return rl_error_set(err, errno, "write '%s' to '%s'", value, f);
    return 0;
}

static int write_limits(const char *dir, const rl_cgroup_limits_t *l, rl_error_t *err)
{
    for (size_t i = 0; i < l->n; i++)
        if (rl_cgroup_write(dir, l->files[i], l->values[i], err) < 0) return -1;
    return 0;
}

static int make_cgroup(const char *deleg, const char *name, const rl_cgroup_limits_t *l,
                       rl_cgroup_t **out, rl_error_t *err)
{
    /* Processes may not sit in a cgroup whose controllers are enabled for
     * children: our containers live under <deleg>/rl, which holds none. */
    rl_autofree char *base = xasprintf("%s/rl", deleg);
    rl_autofree char *dir = xasprintf("%s/%s", base, name);
    if (enable_controllers(deleg, l, err) < 0) return -1;
    if (mkdir(base, 0755) < 0 && errno != EEXIST)
        return rl_error_set(err, errno, "mkdir '%s'", base);
    if (enable_controllers(base, l, err) < 0) return -1;
    if (mkdir(dir, 0755) < 0) return rl_error_set(err, errno, "mkdir '%s'", dir);
    if (write_limits(dir, l, err) < 0) {
        rmdir(dir);
        return -1;
    }
    *out = xcalloc(1, sizeof **out);
    (*out)->path = rl_steal_ptr(&dir);
    return 0;
}

static int place(const char *root, bool v2, const char *self, uid_t uid,
                 const rl_cgroup_limits_t *l, const char *name, rl_cgroup_t **out, rl_error_t *err)
{
    if (!v2)
        return rl_error_set(err, 0,
                            "%s: cannot apply resource limits: %s is not cgroup v2 "
                            "(rootless limits need cgroup v2 with a delegated subtree)",
                            l->first, root);
    rl_autofree char *deleg = uid == 0 ? xstrdup(root) : delegation_point(root, self, uid);
    if (!deleg)
        return rl_error_set(err, 0,
                            "%s: cannot apply resource limits: no cgroup is delegated "
                            "to uid %u (run from a systemd --user session, or with "
                            "systemd-run --user --scope -p Delegate=yes)",
                            l->first, (unsigned)uid);
    if (make_cgroup(deleg, name, l, out, err) < 0)
        return rl_error_wrap(err, "cannot apply resource limits");
    return 0;
}

int rl_cgroup_prepare_at(const char *root, bool v2, const char *self, uid_t uid,
                         json_object *resources, const char *name, rl_cgroup_t **out,
                         rl_error_t *err)
{
    rl_cgroup_limits_t l;
    *out = NULL;
    if (rl_cgroup_limits_parse(resources, &l, err) < 0) return -1;
    /* Nothing asked: run where we are, as runc and crun do rootless. */
    int r = l.n ? place(root, v2, self, uid, &l, name, out, err) : 0;
    rl_cgroup_limits_clear(&l);
    return r;
}

int rl_cgroup_prepare(const rl_spec_t *spec, const char *id, rl_cgroup_t **out, rl_error_t *err)
{
    struct statfs sf;
    bool v2 = statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
    rl_autofree char *self = NULL;
    rl_error_t ignored = RL_ERROR_INIT;
    rl_fs_read_file("/proc/self/cgroup", 65536, &self, NULL, &ignored);
    rl_error_clear(&ignored);
    if (rl_cgroup_prepare_at("/sys/fs/cgroup", v2, self, geteuid(), spec->resources, id, out, err) <
        0)
        return -1;
    /* Limits are made on v2 only and device rules enforced on v1 only:
     * at most one of the two makes a cgroup. */
    rl_cgroup_t *dev = NULL;
    if (rl_cgroup_devices_prepare_at("/sys/fs/cgroup", v2, self, rl_cgroup_host_root(), spec, id,
                                     &dev, err) < 0) {
        rl_error_t ignored = RL_ERROR_INIT;
        if (*out) rl_cgroup_destroy(*out, &ignored);
        rl_error_clear(&ignored);
        rl_cgroup_free(*out);
        *out = NULL;
        return -1;
    }
    if (!*out)
        *out = dev;
    else
        rl_cgroup_free(dev);
    return 0;
}

int rl_cgroup_enter(const rl_cgroup_t *cg, pid_t pid, rl_error_t *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", (int)pid);
    if (rl_cgroup_write(cg->path, "cgroup.procs", buf, err) < 0)
        return rl_error_wrap(err, "join cgroup");
    return 0;
}

int rl_cgroup_destroy(const rl_cgroup_t *cg, rl_error_t *err)
{
    if (rmdir(cg->path) < 0 && errno != ENOENT)
        return rl_error_set(err, errno, "remove cgroup '%s'", cg->path);
    return 0;
}

void rl_cgroup_free(rl_cgroup_t *cg)
{
    if (!cg) return;
    free(cg->path);
    free(cg);
}
