/* SPDX-License-Identifier: Apache-2.0 */
#include "default.h"

#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "rootless/idmap.h"

/* podman's default set (containers.conf default_capabilities) */
const char *const rl_default_caps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE",     "CAP_FOWNER",     "CAP_FSETID",
    "CAP_KILL",    "CAP_NET_BIND_SERVICE", "CAP_SETFCAP",    "CAP_SETGID",
    "CAP_SETPCAP", "CAP_SETUID",           "CAP_SYS_CHROOT", NULL,
};

const char *const rl_default_masked_paths[] = {
    "/proc/acpi",       "/proc/kcore",       "/proc/keys",        "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
    "/sys/firmware",    "/sys/fs/selinux",   "/sys/dev/block",    NULL,
};

const char *const rl_default_readonly_paths[] = {
    "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static void add_mount(json_object *mounts, const char *dst, const char *type, const char *src,
                      const char *const *opts)
{
    json_object *m = json_object_new_object();
    json_object_object_add(m, "destination", json_object_new_string(dst));
    json_object_object_add(m, "type", json_object_new_string(type));
    json_object_object_add(m, "source", json_object_new_string(src));
    json_object_object_add(m, "options", rl_json_new_strv(opts));
    json_object_array_add(mounts, m);
}

static json_object *mounts(void)
{
    json_object *m = json_object_new_array();
    add_mount(m, "/proc", "proc", "proc", (const char *const[]){"nosuid", "noexec", "nodev", NULL});
    add_mount(m, "/dev", "tmpfs", "tmpfs",
              (const char *const[]){"nosuid", "strictatime", "mode=755", "size=65536k", NULL});
    add_mount(m, "/dev/pts", "devpts", "devpts",
              (const char *const[]){"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
                                    "gid=5", NULL});
    add_mount(m, "/dev/shm", "tmpfs", "shm",
              (const char *const[]){"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL});
    add_mount(m, "/dev/mqueue", "mqueue", "mqueue",
              (const char *const[]){"nosuid", "noexec", "nodev", NULL});
    add_mount(m, "/sys", "sysfs", "sysfs",
              (const char *const[]){"nosuid", "noexec", "nodev", "ro", NULL});
    add_mount(m, "/sys/fs/cgroup", "cgroup", "cgroup",
              (const char *const[]){"nosuid", "noexec", "nodev", "relatime", "ro", NULL});
    return m;
}

static json_object *process(void)
{
    json_object *p = json_object_new_object();
    json_object_object_add(p, "terminal", json_object_new_boolean(0));
    json_object *u = json_object_new_object();
    json_object_object_add(u, "uid", json_object_new_int(0));
    json_object_object_add(u, "gid", json_object_new_int(0));
    json_object_object_add(p, "user", u);
    json_object_object_add(p, "args", rl_json_new_strv((const char *const[]){"sh", NULL}));
    json_object_object_add(p, "env",
                           rl_json_new_strv((const char *const[]){
                               "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "TERM=xterm", NULL}));
    json_object_object_add(p, "cwd", json_object_new_string("/"));
    json_object *caps = json_object_new_object();
    json_object_object_add(caps, "bounding", rl_json_new_strv(rl_default_caps));
    json_object_object_add(caps, "effective", rl_json_new_strv(rl_default_caps));
    json_object_object_add(caps, "permitted", rl_json_new_strv(rl_default_caps));
    json_object_object_add(p, "capabilities", caps);
    json_object *rl = json_object_new_object();
    json_object_object_add(rl, "type", json_object_new_string("RLIMIT_NOFILE"));
    json_object_object_add(rl, "hard", json_object_new_int(1024));
    json_object_object_add(rl, "soft", json_object_new_int(1024));
    json_object *rls = json_object_new_array();
    json_object_array_add(rls, rl);
    json_object_object_add(p, "rlimits", rls);
    json_object_object_add(p, "noNewPrivileges", json_object_new_boolean(1));
    return p;
}

json_object *rl_spec_idmaps_json(const rl_idmap_t *m, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "containerID", json_object_new_int64(m[i].container_id));
        json_object_object_add(o, "hostID", json_object_new_int64(m[i].host_id));
        json_object_object_add(o, "size", json_object_new_int64(m[i].size));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *namespaces(bool rootless)
{
    static const char *const types[] = {"pid", "network", "ipc", "uts", "mount", "cgroup", "user"};
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < (rootless ? 7u : 6u); i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "type", json_object_new_string(types[i]));
        json_object_array_add(a, o);
    }
    return a;
}

json_object *rl_spec_default(bool rootless, rl_error_t *err)
{
    json_object *lx = json_object_new_object();
    if (rootless) {
        rl_autofree rl_idmap_t *u = NULL, *g = NULL;
        size_t nu, ng;
        if (rl_idmap_default(geteuid(), getegid(), &u, &nu, &g, &ng, err) < 0) {
            json_object_put(lx);
            return NULL;
        }
        json_object_object_add(lx, "uidMappings", rl_spec_idmaps_json(u, nu));
        json_object_object_add(lx, "gidMappings", rl_spec_idmaps_json(g, ng));
    }
    json_object_object_add(lx, "namespaces", namespaces(rootless));
    json_object_object_add(lx, "maskedPaths", rl_json_new_strv(rl_default_masked_paths));
    json_object_object_add(lx, "readonlyPaths", rl_json_new_strv(rl_default_readonly_paths));
    json_object *s = json_object_new_object();
    json_object_object_add(s, "ociVersion", json_object_new_string("1.0.2"));
    json_object_object_add(s, "process", process());
    json_object *root = json_object_new_object();
    json_object_object_add(root, "path", json_object_new_string("rootfs"));
    json_object_object_add(root, "readonly", json_object_new_boolean(1));
    json_object_object_add(s, "root", root);
    json_object_object_add(s, "hostname", json_object_new_string("rl"));
    json_object_object_add(s, "mounts", mounts());
    json_object_object_add(s, "linux", lx);
    return s;
}
