/* SPDX-License-Identifier: Apache-2.0 */
/* Names used in the spec: namespaces, capabilities, rlimits. */
#include <ctype.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "spec.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
    const char *spec, *proc;
    int flag;
} ns_names[RL_NS_COUNT] = {
    [RL_NS_USER] = {"user", "user", CLONE_NEWUSER},
    [RL_NS_MOUNT] = {"mount", "mnt", CLONE_NEWNS},
    [RL_NS_PID] = {"pid", "pid", CLONE_NEWPID},
    [RL_NS_UTS] = {"uts", "uts", CLONE_NEWUTS},
    [RL_NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC},
    [RL_NS_NET] = {"network", "net", CLONE_NEWNET},
    [RL_NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP},
    [RL_NS_TIME] = {"time", "time", CLONE_NEWTIME},
};

const char *rl_spec_ns_name(rl_spec_ns_type_t type)
{
    return ns_names[type].spec;
}

const char *rl_spec_ns_proc_name(rl_spec_ns_type_t type)
{
    return ns_names[type].proc;
}

int rl_spec_ns_clone_flag(rl_spec_ns_type_t type)
{
    return ns_names[type].flag;
}

int rl_spec_cap_from_name(const char *name)
{
    /* The spec spells capabilities "CAP_CHOWN"; libcap knows them in any case. */
    if (strncmp(name, "CAP_", 4) != 0 || strlen(name) > 64) return -1;
    for (const char *p = name; *p; p++)
        if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_') return -1;
    cap_value_t v;
    if (cap_from_name(name, &v) < 0 || v < 0 || v > 63) return -1;
    return (int)v;
}

static const struct {
    const char *name;
    int resource;
} rlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

int rl_spec_rlimit_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++)
        if (!strcmp(rlimits[i].name, name)) return rlimits[i].resource;
    return -1;
}
