/* SPDX-License-Identifier: Apache-2.0 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static char *read_small(const char *dir, const char *file)
{
    rl_autofree char *p = xasprintf("%s/%s", dir, file);
    rl_error_t e = RL_ERROR_INIT;
    char *text = NULL;
    if (rl_fs_read_file(p, 65536, &text, NULL, &e) < 0) rl_error_clear(&e);
    return text;
}

static int read_u64(const char *dir, const char *file, uint64_t *v, rl_error_t *err)
{
    rl_autofree char *t = read_small(dir, file);
    if (!t)
        return rl_error_set(err, 0, "stats: no %s in '%s' (is the controller enabled?)", file, dir);
    *v = strncmp(t, "max", 3) ? strtoull(t, NULL, 10) : 0;
    return 0;
}

int rl_cgroup_stats_at(const char *root, bool is_v2, const char *proc_cgroup,
                       rl_cgroup_stats_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    const char *line = proc_cgroup ? strstr(proc_cgroup, "0::/") : NULL;
    if (line && line != proc_cgroup && line[-1] != '\n') line = NULL;
    if (!is_v2 || !line)
        return rl_error_set(err, 0,
                            "stats: a rootless container's resource use needs cgroup v2 "
                            "(this host has cgroup v1 or a hybrid setup): use rl top for its "
                            "processes");
    const char *rel = line + 3;
    size_t n = strcspn(rel, "\n");
    if (memmem(rel, n, "..", 2))
        return rl_error_set(err, 0, "stats: cgroup path '%.*s' is not plain", (int)n, rel);
    rl_autofree char *dir = xasprintf("%s%.*s", root, (int)n, rel);
    rl_autofree char *cpu = read_small(dir, "cpu.stat");
    const char *u = cpu ? strstr(cpu, "usage_usec ") : NULL;
    if (!u) return rl_error_set(err, 0, "stats: no cpu.stat usage in '%s'", dir);
    out->cpu_usec = strtoull(u + 11, NULL, 10);
    if (read_u64(dir, "memory.current", &out->mem_current, err) < 0 ||
        read_u64(dir, "memory.max", &out->mem_max, err) < 0 ||
        read_u64(dir, "pids.current", &out->pids, err) < 0)
        return -1;
    return 0;
}

int rl_cgroup_stats(pid_t pid, rl_cgroup_stats_t *out, rl_error_t *err)
{
    struct statfs sf;
    bool v2 = statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/cgroup", (int)pid);
    rl_autofree char *text = NULL;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_read_file(p, 65536, &text, NULL, &e) < 0) rl_error_clear(&e);
    return rl_cgroup_stats_at("/sys/fs/cgroup", v2, text, out, err);
}
