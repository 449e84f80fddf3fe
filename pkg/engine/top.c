/* SPDX-License-Identifier: Apache-2.0 */
#include "top.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctr.h"
#include "pkg/util/cleanup.h"

typedef struct proc {
    int pid, ppid;       /* in the container's pid namespace */
    int hpid;            /* on the host */
    unsigned uid, huid;  /* in the container, on the host */
    double cpu_s, age_s; /* CPU time used, time since start */
    int tty_nr;
    char comm[64];
    char *args;
} proc_t;

static const char *const known[] = {"user", "pid",  "ppid", "pcpu", "etime", "tty",
                                    "time", "args", "comm", "uid",  "huser", "hpid"};
static const char *const headers[] = {"USER", "PID",     "PPID",    "%CPU", "ELAPSED", "TTY",
                                      "TIME", "COMMAND", "COMMAND", "UID",  "HUSER",   "HPID"};
#define N_KNOWN (sizeof known / sizeof known[0])

static int desc_index(const char *d)
{
    for (size_t i = 0; i < N_KNOWN; i++)
        if (!strcmp(d, known[i])) return (int)i;
    return -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "re");
    if (!f) return NULL;
    char *buf = xmalloc(65536);
    size_t n = fread(buf, 1, 65535, f);
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* the last NSpid value: the pid in the innermost namespace */
static int ns_pid(const char *status)
{
    const char *l = strstr(status, "\nNSpid:");
    if (!l) return 0;
    const char *end = strchr(l + 1, '\n');
    const char *last = end ? end : l + strlen(l);
    while (last > l && (last[-1] == ' ' || last[-1] == '\t'))
        last--;
    while (last > l && last[-1] >= '0' && last[-1] <= '9')
        last--;
    return atoi(last);
}

static unsigned field_u(const char *status, const char *key)
{
    const char *l = strstr(status, key);
    return l ? (unsigned)strtoul(l + strlen(key), NULL, 10) : 0;
}

/* host uid -> container uid through the init's uid_map */
static unsigned to_container_uid(int init, unsigned huid)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/uid_map", init);
    rl_autofree char *m = slurp(p, NULL);
    unsigned in, out, count;
    for (char *l = m; l && *l;) {
        if (sscanf(l, "%u %u %u", &in, &out, &count) == 3 && huid >= out && huid - out < count)
            return in + (huid - out);
        l = strchr(l, '\n');
        if (l) l++;
    }
    return 65534;
}

static bool read_proc(int hpid, int init, proc_t *p)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", hpid);
    rl_autofree char *status = slurp(path, NULL);
    snprintf(path, sizeof path, "/proc/%d/stat", hpid);
    rl_autofree char *stat = slurp(path, NULL);
    if (!status || !stat) return false;
    p->hpid = hpid;
    p->pid = ns_pid(status);
    p->huid = field_u(status, "\nUid:");
    p->uid = to_container_uid(init, p->huid);
    char *rp = strrchr(stat, ')'), *open_ = strchr(stat, '(');
    if (!rp || !open_) return false;
    snprintf(p->comm, sizeof p->comm, "%.*s", (int)(rp - open_ - 1), open_ + 1);
    int ppid;
    unsigned long long ut, st, start;
    if (sscanf(rp + 2,
               "%*c %d %*d %*d %d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu",
               &ppid, &p->tty_nr, &ut, &st, &start) != 5)
        return false;
    p->ppid = ppid; /* host pid for now */
    double hz = (double)sysconf(_SC_CLK_TCK);
    struct timespec up;
    clock_gettime(CLOCK_BOOTTIME, &up);
    p->cpu_s = (double)(ut + st) / hz;
    p->age_s = (double)up.tv_sec + up.tv_nsec / 1e9 - (double)start / hz;
    size_t n;
    snprintf(path, sizeof path, "/proc/%d/cmdline", hpid);
    p->args = slurp(path, &n);
    for (size_t i = 0; p->args && i + 1 < n; i++)
        if (!p->args[i]) p->args[i] = ' ';
    if (p->args && !*p->args) free(p->args), p->args = NULL;
    return true;
}

/* the container's /etc/passwd: uid -> name */
static char *user_name(int init, unsigned uid)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/root/etc/passwd", init);
    rl_autofree char *pw = slurp(p, NULL);
    for (char *l = pw; l && *l;) {
        char name[64];
        unsigned u;
        if (sscanf(l, "%63[^:]:%*[^:]:%u:", name, &u) == 2 && u == uid) return xstrdup(name);
        l = strchr(l, '\n');
        if (l) l++;
    }
    return xasprintf("%u", uid);
}

static void duration(rl_strbuf_t *b, double s)
{
    if (s >= 3600) rl_strbuf_appendf(b, "%dh", (int)(s / 3600)), s -= (int)(s / 3600) * 3600;
    if (s >= 60) rl_strbuf_appendf(b, "%dm", (int)(s / 60)), s -= (int)(s / 60) * 60;
    rl_strbuf_appendf(b, "%.3fs", s);
}

static void cell(rl_strbuf_t *b, int d, const proc_t *p, int init)
{
    switch (d) {
    case 0: {
        rl_autofree char *n = user_name(init, p->uid);
        rl_strbuf_appendf(b, "%s", n);
        break;
    }
    case 1:
        rl_strbuf_appendf(b, "%d", p->pid);
        break;
    case 2:
        rl_strbuf_appendf(b, "%d", p->ppid);
        break;
    case 3:
        rl_strbuf_appendf(b, "%.3f", p->age_s > 0 ? 100.0 * p->cpu_s / p->age_s : 0.0);
        break;
    case 4:
        duration(b, p->age_s);
        break;
    case 5:
        if (p->tty_nr)
            rl_strbuf_appendf(b, "pts/%d", (p->tty_nr & 0xff) | ((p->tty_nr >> 12) & 0xfff00));
        else
            rl_strbuf_appendf(b, "?");
        break;
    case 6:
        duration(b, p->cpu_s);
        break;
    case 7:
        rl_strbuf_appendf(b, "%s", p->args ? p->args : p->comm);
        break;
    case 8:
        rl_strbuf_appendf(b, "%s", p->comm);
        break;
    case 9:
        rl_strbuf_appendf(b, "%u", p->uid);
        break;
    case 10:
        rl_strbuf_appendf(b, "%u", p->huid);
        break;
    case 11:
        rl_strbuf_appendf(b, "%d", p->hpid);
        break;
    }
}

static int parse_descriptors(char **given, int *d, size_t *n, rl_error_t *err)
{
    rl_autofree char *all = NULL;
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; given && given[i]; i++)
        rl_strbuf_appendf(&sb, "%s,", given[i]);
    all = given && given[0] ? rl_strbuf_steal(&sb) : (rl_strbuf_free(&sb), xstrdup(RL_TOP_DEFAULT));
    *n = 0;
    for (char *save = NULL, *t = strtok_r(all, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        int k = desc_index(t);
        if (k < 0 || *n == 32)
            return rl_error_set(err, 0,
                                "top: unknown descriptor '%s' (use user, pid, ppid, pcpu, etime, "
                                "tty, time, args, comm, uid, huser, hpid)",
                                t);
        d[(*n)++] = k;
    }
    return 0;
}

static int collect(int init, proc_t **out, size_t *n)
{
    char p[64];
    struct stat ns;
    snprintf(p, sizeof p, "/proc/%d/ns/pid", init);
    if (stat(p, &ns) < 0) return -1;
    DIR *d = opendir("/proc");
    struct dirent *e;
    *out = NULL, *n = 0;
    while (d && (e = readdir(d))) {
        int pid = atoi(e->d_name);
        struct stat st;
        snprintf(p, sizeof p, "/proc/%d/ns/pid", pid);
        if (pid <= 0 || stat(p, &st) < 0 || st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        proc_t *pr = &(*out)[*n];
        memset(pr, 0, sizeof *pr);
        if (read_proc(pid, init, pr)) (*n)++;
    }
    if (d) closedir(d);
    /* parent pids as the container sees them */
    for (size_t i = 0; i < *n; i++) {
        int host_ppid = (*out)[i].ppid;
        (*out)[i].ppid = 0;
        for (size_t j = 0; j < *n; j++)
            if ((*out)[j].hpid == host_ppid) (*out)[i].ppid = (*out)[j].pid;
    }
    return 0;
}

static int by_pid(const void *a, const void *b)
{
    return ((const proc_t *)a)->pid - ((const proc_t *)b)->pid;
}

int rl_engine_top(rl_store_t *s, const char *id, char **descriptors, rl_strbuf_t *out,
                  rl_error_t *err)
{
    int d[32];
    size_t nd;
    if (parse_descriptors(descriptors, d, &nd, err) < 0) return -1;
    rl_ctr_state_t st;
    if (rl_ctr_state_load(s, id, &st, err) < 0) return -1;
    bool running = rl_ctr_state_live(&st) == RL_CTR_RUNNING;
    int init = st.pid;
    rl_ctr_state_clear(&st);
    proc_t *v;
    size_t n;
    if (!running || collect(init, &v, &n) < 0)
        return rl_error_set(err, 0, "container %.12s is not running: top needs its processes", id);
    qsort(v, n, sizeof *v, by_pid);
    for (size_t k = 0; k < nd; k++)
        rl_strbuf_appendf(out, "%s%s", k ? "\t" : "", headers[d[k]]);
    rl_strbuf_appendf(out, "\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < nd; k++) {
            if (k) rl_strbuf_appendf(out, "\t");
            cell(out, d[k], &v[i], init);
        }
        rl_strbuf_appendf(out, "\n");
        free(v[i].args);
    }
    free(v);
    return 0;
}
