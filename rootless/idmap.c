/* SPDX-License-Identifier: Apache-2.0 */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/log.h"
#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"
#include "subid.h"

/* Parse an unsigned 32-bit decimal; *end points after it. */
static int parse_u32(const char *s, const char **end, uint32_t *out)
{
    if (*s < '0' || *s > '9') return -1;
    unsigned long long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s++ - '0');
        if (v > UINT32_MAX) return -1;
    }
    *end = s;
    *out = (uint32_t)v;
    return 0;
}

static void push(rl_idmap_t **maps, size_t *n, rl_idmap_t m)
{
    *maps = xreallocarray(*maps, *n + 1, sizeof **maps);
    (*maps)[(*n)++] = m;
}

/* Shared by both formats: three numbers split by sep, entries split by eol. */
static int parse_maps(const char *text, const char *seps, char eol, rl_idmap_t **maps, size_t *n,
                      rl_error_t *err)
{
    rl_autofree rl_idmap_t *out = NULL;
    size_t count = 0;
    const char *s = text;
    while (*s) {
        while (eol == '\n' && (*s == ' ' || *s == '\n'))
            s++;
        if (!*s) break;
        uint32_t v[3];
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                if (!*s || !strchr(seps, *s)) goto bad;
                s++;
                /* the kernel pads its columns with runs of spaces */
                while (eol == '\n' && *s == ' ')
                    s++;
            }
            if (parse_u32(s, &s, &v[i]) < 0) goto bad;
        }
        while (eol == '\n' && *s == ' ')
            s++;
        if (*s && *s != eol) goto bad;
        if (*s) s++;
        if (eol == ',' && s[-1] == ',' && !*s) goto bad; /* "0:1:1," */
        if (count >= RL_IDMAP_MAX)
            return rl_error_set(err, 0, "id map: more than %d ranges", RL_IDMAP_MAX);
        push(&out, &count, (rl_idmap_t){v[0], v[1], v[2]});
    }
    if (count == 0) return rl_error_set(err, 0, "id map: empty");
    if (rl_idmap_validate(out, count, "id map", err) < 0) return -1;
    *maps = rl_steal_ptr(&out);
    *n = count;
    return 0;
bad:
    return rl_error_set(err, 0, "id map: invalid entry at '%.20s': expected %s", s,
                        eol == '\n' ? "'CONTAINER HOST SIZE'" : "'CONTAINER:HOST:SIZE'");
}

int rl_idmap_parse_proc(const char *text, rl_idmap_t **maps, size_t *n, rl_error_t *err)
{
    return parse_maps(text, " ", '\n', maps, n, err);
}

int rl_idmap_parse_cli(const char *text, rl_idmap_t **maps, size_t *n, rl_error_t *err)
{
    return parse_maps(text, ":", ',', maps, n, err);
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

int rl_idmap_validate(const rl_idmap_t *maps, size_t n, const char *what, rl_error_t *err)
{
    if (n > RL_IDMAP_MAX)
        return rl_error_set(err, 0, "%s: more than %d ranges", what, RL_IDMAP_MAX);
    for (size_t i = 0; i < n; i++) {
        const rl_idmap_t *m = &maps[i];
        if (m->size == 0) return rl_error_set(err, 0, "%s: range %zu has size 0", what, i);
        if ((uint64_t)m->container_id + m->size > (uint64_t)UINT32_MAX + 1 ||
            (uint64_t)m->host_id + m->size > (uint64_t)UINT32_MAX + 1)
            return rl_error_set(err, 0, "%s: range %zu runs past 4294967295", what, i);
        for (size_t j = 0; j < i; j++) {
            if (overlaps(m->container_id, m->size, maps[j].container_id, maps[j].size))
                return rl_error_set(err, 0, "%s: container ids of ranges %zu and %zu overlap", what,
                                    j, i);
            if (overlaps(m->host_id, m->size, maps[j].host_id, maps[j].size))
                return rl_error_set(err, 0, "%s: host ids of ranges %zu and %zu overlap", what, j,
                                    i);
        }
    }
    return 0;
}

bool rl_idmap_to_host(const rl_idmap_t *maps, size_t n, uint32_t id, uint32_t *host)
{
    for (size_t i = 0; i < n; i++) {
        if (id >= maps[i].container_id &&
            (uint64_t)id < (uint64_t)maps[i].container_id + maps[i].size) {
            *host = maps[i].host_id + (id - maps[i].container_id);
            return true;
        }
    }
    return false;
}

char *rl_idmap_format(const rl_idmap_t *maps, size_t n)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        rl_strbuf_appendf(&sb, "%u %u %u\n", maps[i].container_id, maps[i].host_id, maps[i].size);
    return rl_strbuf_steal(&sb);
}

static void append_ranges(rl_idmap_t **maps, size_t *n, const rl_subid_range_t *r, size_t nr)
{
    uint32_t next = 1;
    for (size_t i = 0; i < nr && *n < RL_IDMAP_MAX; i++) {
        if (r[i].count == 0 || r[i].start > UINT32_MAX || r[i].count > UINT32_MAX - next) continue;
        push(maps, n, (rl_idmap_t){next, (uint32_t)r[i].start, (uint32_t)r[i].count});
        next += (uint32_t)r[i].count;
    }
}

static const char *user_name(uid_t uid, char *buf, size_t len)
{
    struct passwd pw, *res = NULL;
    char pwbuf[4096];
    if (getpwuid_r(uid, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(buf, len, "%s", pw.pw_name);
    else
        snprintf(buf, len, "%u", (unsigned)uid);
    return buf;
}

int rl_idmap_default(uid_t uid, gid_t gid, rl_idmap_t **uids, size_t *n_uids, rl_idmap_t **gids,
                     size_t *n_gids, rl_error_t *err)
{
    rl_autofree rl_subid_range_t *ur = NULL, *gr = NULL;
    size_t nur = 0, ngr = 0;
    if (rl_subid_ranges(uid, 0, &ur, &nur, err) < 0) return -1;
    if (rl_subid_ranges(uid, 1, &gr, &ngr, err) < 0) return -1;
    *uids = NULL;
    *gids = NULL;
    *n_uids = *n_gids = 0;
    push(uids, n_uids, (rl_idmap_t){0, uid, 1});
    push(gids, n_gids, (rl_idmap_t){0, gid, 1});
    if (nur == 0 || ngr == 0) {
        char name[256];
        user_name(uid, name, sizeof name);
        rl_warn("no subordinate %s for user '%s': using a single-id mapping (only uid/gid 0 in "
                "the container); to fix: usermod --add-subuids 100000-165535 --add-subgids "
                "100000-165535 %s",
                nur == 0 ? "uids" : "gids", name, name);
        return 0;
    }
    append_ranges(uids, n_uids, ur, nur);
    append_ranges(gids, n_gids, gr, ngr);
    return 0;
}

/* A running newuidmap/newgidmap: its pid and the read end of its stderr. */
typedef struct helper {
    const char *name;
    pid_t pid;
    int err_fd;
} helper_t;

/* Start HELPER PID C H S... with posix_spawn (no page-table copy). */
static int spawn_helper(helper_t *h, pid_t pid, const rl_idmap_t *maps, size_t n, rl_error_t *err)
{
    rl_autostrv char **argv = xcalloc(3 * n + 3, sizeof *argv);
    size_t a = 0;
    argv[a++] = xstrdup(h->name);
    argv[a++] = xasprintf("%d", (int)pid);
    for (size_t i = 0; i < n; i++) {
        argv[a++] = xasprintf("%u", maps[i].container_id);
        argv[a++] = xasprintf("%u", maps[i].host_id);
        argv[a++] = xasprintf("%u", maps[i].size);
    }
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    extern char **environ;
    int r = posix_spawnp(&h->pid, h->name, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (r != 0) {
        close(pfd[0]);
        if (r == ENOENT)
            return rl_error_set(err, 0, "%s not found: install the uidmap package", h->name);
        return rl_error_set(err, r, "run %s", h->name);
    }
    h->err_fd = pfd[0];
    return 0;
}

/* Wait for a helper; its stderr becomes our error text. */
static int finish_helper(helper_t *h, rl_error_t *err)
{
    rl_autofree char *out = NULL;
    rl_error_t rerr = RL_ERROR_INIT;
    rl_fs_read_fd(h->err_fd, h->name, 4096, &out, NULL, &rerr);
    rl_error_clear(&rerr);
    close(h->err_fd);
    int status = 0;
    while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (out) out[strcspn(out, "\n")] = '\0';
    return rl_error_set(err, 0, "%s failed: %s", h->name, out && *out ? out : "unknown error");
}

static int write_map(pid_t pid, const char *file, const rl_idmap_t *maps, size_t n, rl_error_t *err)
{
    rl_autofree char *path = xasprintf("/proc/%d/%s", (int)pid, file);
    rl_autofree char *text = rl_idmap_format(maps, n);
    return rl_fs_write_string(path, text, err);
}

static bool own_single(const rl_idmap_t *maps, size_t n, uint32_t id)
{
    return n == 1 && maps[0].size == 1 && maps[0].host_id == id;
}

static int write_gid_map_direct(pid_t pid, const rl_idmap_t *gids, size_t n, rl_error_t *err)
{
    /* An unprivileged gid_map needs setgroups denied first (CVE-2014-8989). */
    rl_autofree char *sg = xasprintf("/proc/%d/setgroups", (int)pid);
    if (rl_fs_write_string(sg, "deny", err) < 0) return -1;
    return write_map(pid, "gid_map", gids, n, err);
}

int rl_idmap_apply(pid_t pid, const rl_idmap_t *uids, size_t n_uids, const rl_idmap_t *gids,
                   size_t n_gids, rl_error_t *err)
{
    rl_error_t direct = RL_ERROR_INIT;
    /* Root (in any user namespace) may write any map of ids it has itself. */
    if (geteuid() == 0) {
        if ((n_gids == 0 || write_map(pid, "gid_map", gids, n_gids, &direct) == 0) &&
            (n_uids == 0 || write_map(pid, "uid_map", uids, n_uids, &direct) == 0))
            return 0;
        rl_debug("writing id maps directly: %s; trying newuidmap", direct.msg);
        rl_error_clear(&direct);
    }
    bool gid_direct = n_gids == 0 || own_single(gids, n_gids, getegid());
    bool uid_direct = n_uids == 0 || own_single(uids, n_uids, geteuid());
    /* The setuid helpers cost a fork+exec each: run both at once. */
    helper_t hg = {"newgidmap", -1, -1}, hu = {"newuidmap", -1, -1};
    if (!gid_direct && spawn_helper(&hg, pid, gids, n_gids, err) < 0) return -1;
    int r = 0;
    if (!uid_direct) r = spawn_helper(&hu, pid, uids, n_uids, err);
    if (!gid_direct && finish_helper(&hg, r < 0 ? &direct : err) < 0) r = -1;
    rl_error_clear(&direct);
    if (hu.pid > 0 && finish_helper(&hu, r < 0 ? &direct : err) < 0) r = -1;
    rl_error_clear(&direct);
    if (r < 0) return -1;
    if (gid_direct && n_gids && write_gid_map_direct(pid, gids, n_gids, err) < 0) return -1;
    if (uid_direct && n_uids) return write_map(pid, "uid_map", uids, n_uids, err);
    return 0;
}
