/* SPDX-License-Identifier: Apache-2.0 */
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int open_ns_path(const rl_spec_t *spec, rl_spec_ns_type_t t, rl_error_t *err)
{
    const char *path = spec->ns[t].path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rl_error_set(err, errno, "linux.namespaces: %s namespace '%s'", rl_spec_ns_name(t),
                            path);
    int type = ioctl(fd, NS_GET_NSTYPE);
    if (type >= 0 && type != rl_spec_ns_clone_flag(t)) {
        close(fd);
        return rl_error_set(err, 0, "linux.namespaces: '%s' is not a %s namespace", path,
                            rl_spec_ns_name(t));
    }
    return fd;
}

int rl_ns_plan(const rl_spec_t *spec, rl_ns_plan_t *p, rl_error_t *err)
{
    memset(p, 0, sizeof *p);
    for (int t = 0; t < RL_NS_COUNT; t++)
        p->fds[t] = -1;
    for (int t = 0; t < RL_NS_COUNT; t++) {
        if (!spec->ns[t].path) continue;
        if ((p->fds[t] = open_ns_path(spec, t, err)) < 0) {
            rl_ns_plan_close(p);
            return -1;
        }
    }
#define NEW(t) (spec->ns[t].wanted && !spec->ns[t].path)
    bool user_joined = spec->ns[RL_NS_USER].path != NULL;
    p->new_user = NEW(RL_NS_USER);
    p->new_net = NEW(RL_NS_NET);
    p->new_cgroup = NEW(RL_NS_CGROUP);
    p->new_time = NEW(RL_NS_TIME);
    if (p->new_user) p->clone_flags |= CLONE_NEWUSER;
    /* Namespaces made after joining a user namespace must be made inside it,
     * so they are owned by it: unshare them after setns(user). */
    const rl_spec_ns_type_t plain[] = {RL_NS_MOUNT, RL_NS_UTS, RL_NS_IPC, RL_NS_NET};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (!NEW(plain[i])) continue;
        if (user_joined)
            p->unshare_flags |= rl_spec_ns_clone_flag(plain[i]);
        else
            p->clone_flags |= rl_spec_ns_clone_flag(plain[i]);
    }
    if (NEW(RL_NS_PID) && !user_joined) p->clone_flags |= CLONE_NEWPID;
    if (NEW(RL_NS_PID) && user_joined) p->fork_pid = true, p->fork_flags = CLONE_NEWPID;
    if (spec->ns[RL_NS_PID].path) p->fork_pid = true;
#undef NEW
    return 0;
}

void rl_ns_plan_close(rl_ns_plan_t *p)
{
    for (int t = 0; t < RL_NS_COUNT; t++) {
        if (p->fds[t] >= 0) close(p->fds[t]);
        p->fds[t] = -1;
    }
}

int rl_ns_join(rl_ns_plan_t *p, rl_spec_ns_type_t t, rl_error_t *err)
{
    if (p->fds[t] < 0) return 0;
    if (setns(p->fds[t], rl_spec_ns_clone_flag(t)) < 0)
        return rl_error_set(err, errno, "join %s namespace", rl_spec_ns_name(t));
    close(p->fds[t]);
    p->fds[t] = -1;
    return 0;
}

int rl_ns_setup_time(const rl_spec_t *spec, rl_error_t *err)
{
    if (unshare(CLONE_NEWTIME) < 0) return rl_error_set(err, errno, "create time namespace");
    if (spec->has_time_offsets) {
        char buf[128];
        snprintf(buf, sizeof buf, "monotonic %lld %lld\nboottime %lld %lld\n",
                 (long long)spec->time_offsets[0][0], (long long)spec->time_offsets[0][1],
                 (long long)spec->time_offsets[1][0], (long long)spec->time_offsets[1][1]);
        if (rl_fs_write_string("/proc/self/timens_offsets", buf, err) < 0) return -1;
    }
    /* unshare() only moves our future children; enter it ourselves. */
    rl_autoclose int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
        return rl_error_set(err, errno, "enter time namespace");
    return 0;
}

int rl_ns_loopback_up(rl_error_t *err)
{
    rl_autoclose int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return rl_error_set(err, errno, "socket");
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return rl_error_set(err, errno, "get flags of lo");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) return rl_error_set(err, errno, "bring lo up");
    return 0;
}
