/* SPDX-License-Identifier: Apache-2.0 */
/* rl info's facts (see info.h), each put in both shapes at once. */
#include "info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ctr.h"
#include "pkg/spec/default.h"
#include "pkg/transport/registries.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/platform.h"
#include "pkg/util/strbuf.h"
#include "rootless/idmap.h"
#include "rootless/rundir.h"
#include "storage/containers.h"
#include "storage/driver.h"
#include "storage/images.h"

#ifndef RL_VERSION
#define RL_VERSION "dev"
#endif

/* one object in both shapes */
typedef struct pair {
    json_object *js, *go;
} pair_t;

static pair_t pair_new(void)
{
    return (pair_t){json_object_new_object(), json_object_new_object()};
}

/* v (taken) under "json" and "Go" */
static void put(pair_t p, const char *json, const char *go, json_object *v)
{
    json_object_object_add(p.js, json, json_object_get(v));
    json_object_object_add(p.go, go, v);
}

static void put_str(pair_t p, const char *json, const char *go, const char *s)
{
    put(p, json, go, json_object_new_string(s ? s : ""));
}

static void put_int(pair_t p, const char *json, const char *go, long long v)
{
    put(p, json, go, json_object_new_int64(v));
}

static void put_pair(pair_t p, const char *json, const char *go, pair_t child)
{
    json_object_object_add(p.js, json, child.js);
    json_object_object_add(p.go, go, child.go);
}

/* a /proc/meminfo line's value in bytes */
static long long meminfo(const char *key)
{
    rl_autofree char *text = NULL;
    size_t len;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_read_file("/proc/meminfo", 1 << 16, &text, &len, &e) < 0)
        return rl_error_clear(&e), 0;
    const char *p = strstr(text, key);
    return p ? strtoll(p + strlen(key) + 1, NULL, 10) * 1024 : 0;
}

/* os-release's value of key ("ID", "VERSION_ID"), unquoted */
static char *os_release(const char *key)
{
    rl_autofree char *text = NULL;
    size_t len;
    rl_error_t e = RL_ERROR_INIT;
    if (rl_fs_read_file("/etc/os-release", 1 << 16, &text, &len, &e) < 0)
        return rl_error_clear(&e), xstrdup("");
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(key);
        if (strncmp(l, key, n) || l[n] != '=') continue;
        char *v = l + n + 1;
        size_t vl = strlen(v);
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') v[vl - 1] = '\0', v++;
        return xstrdup(v);
    }
    return xstrdup("");
}

static pair_t idmap_list(const rl_idmap_t *m, size_t n)
{
    pair_t l = {json_object_new_array(), json_object_new_array()};
    for (size_t i = 0; i < n; i++) {
        pair_t e = pair_new();
        put_int(e, "container_id", "ContainerID", m[i].container_id);
        put_int(e, "host_id", "HostID", m[i].host_id);
        put_int(e, "size", "Size", m[i].size);
        json_object_array_add(l.js, e.js);
        json_object_array_add(l.go, e.go);
    }
    return l;
}

static pair_t id_mappings(void)
{
    pair_t p = pair_new();
    rl_autofree rl_idmap_t *u = NULL, *g = NULL;
    size_t nu = 0, ng = 0;
    rl_error_t e = RL_ERROR_INIT;
    if (geteuid() != 0 && rl_idmap_default(geteuid(), getegid(), &u, &nu, &g, &ng, &e) < 0)
        rl_error_clear(&e), nu = ng = 0;
    put_pair(p, "gidmap", "GIDMap", idmap_list(g, ng));
    put_pair(p, "uidmap", "UIDMap", idmap_list(u, nu));
    return p;
}

static pair_t security(void)
{
    pair_t p = pair_new();
    rl_strbuf_t caps = RL_STRBUF_INIT;
    for (size_t i = 0; rl_default_caps[i]; i++)
        rl_strbuf_appendf(&caps, "%s%s", i ? "," : "", rl_default_caps[i]);
    put(p, "apparmorEnabled", "AppArmorEnabled", json_object_new_boolean(false));
    put_str(p, "capabilities", "DefaultCapabilities", rl_strbuf_str(&caps));
    put(p, "rootless", "Rootless", json_object_new_boolean(geteuid() != 0));
    put(p, "seccompEnabled", "SECCOMPEnabled", json_object_new_boolean(true));
    put_str(p, "seccompProfilePath", "SECCOMPProfilePath", "");
    put(p, "selinuxEnabled", "SELinuxEnabled", json_object_new_boolean(false));
    rl_strbuf_free(&caps);
    return p;
}

static pair_t oci_runtime(void)
{
    pair_t p = pair_new();
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    put_str(p, "name", "Name", "rl");
    put_str(p, "package", "Package", "");
    put_str(p, "path", "Path", self);
    put_str(p, "version", "Version", "rl version " RL_VERSION "\nspec: 1.0.2");
    return p;
}

static const char *cgroup_version(void)
{
    return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? "v2" : "v1";
}

static pair_t host(void)
{
    pair_t p = pair_new(), dist = pair_new(), sock = pair_new(), slirp = pair_new();
    struct utsname u;
    uname(&u);
    rl_autofree char *id = os_release("ID"), *ver = os_release("VERSION_ID");
    put_str(p, "arch", "Arch", rl_go_arch());
    put_str(p, "cgroupManager", "CgroupManager", "cgroupfs");
    put_str(p, "cgroupVersion", "CgroupsVersion", cgroup_version());
    put_int(p, "cpus", "CPUs", sysconf(_SC_NPROCESSORS_ONLN));
    put_str(dist, "distribution", "Distribution", id);
    put_str(dist, "version", "Version", ver);
    put_pair(p, "distribution", "Distribution", dist);
    put_str(p, "eventLogger", "EventLogger", "none");
    put_str(p, "hostname", "Hostname", u.nodename);
    put_pair(p, "idMappings", "IDMappings", id_mappings());
    put_str(p, "kernel", "Kernel", u.release);
    put_str(p, "logDriver", "LogDriver", "k8s-file");
    put_int(p, "memFree", "MemFree", meminfo("MemAvailable:"));
    put_int(p, "memTotal", "MemTotal", meminfo("MemTotal:"));
    put_str(p, "networkBackend", "NetworkBackend", "rl");
    put_pair(p, "ociRuntime", "OCIRuntime", oci_runtime());
    put_str(p, "os", "OS", "linux");
    put(sock, "exists", "Exists", json_object_new_boolean(false));
    put_str(sock, "path", "Path", "");
    put_pair(p, "remoteSocket", "RemoteSocket", sock);
    put_pair(p, "security", "Security", security());
    put(p, "serviceIsRemote", "ServiceIsRemote", json_object_new_boolean(false));
    put_str(slirp, "executable", "Executable", "");
    put_str(slirp, "package", "Package", "libslirp (in rl's monitor)");
    put_str(slirp, "version", "Version", "");
    put_pair(p, "slirp4netns", "Slirp4NetNS", slirp);
    put_int(p, "swapFree", "SwapFree", meminfo("SwapFree:"));
    put_int(p, "swapTotal", "SwapTotal", meminfo("SwapTotal:"));
    return p;
}

static bool running(const rl_ctr_state_t *st)
{
    return rl_ctr_state_live(st) == RL_CTR_RUNNING;
}

static int store(rl_store_t *s, const char *driver_flag, pair_t p, rl_error_t *err)
{
    rl_store_driver_t d;
    rl_autofree char *reason = NULL, *run = NULL;
    if (rl_store_driver(s, driver_flag, &d, &reason, err) < 0 || !(run = rl_rundir_base(err)))
        return -1;
    rl_ctr_rec_t *recs;
    size_t n;
    rl_ctr_list(s, &recs, &n);
    rl_ctr_list_free(recs, n);
    rl_autostrv char **up = xcalloc(1, sizeof(char *));
    rl_engine_ctr_select(s, running, &up, NULL);
    rl_store_image_db_t db = {0};
    if (rl_store_image_db_read(s, &db, err) < 0) return -1;
    pair_t ctrs = pair_new(), imgs = pair_new();
    rl_autofree char *runroot = xasprintf("%s/rl", run);
    rl_autofree char *volumes = xasprintf("%s/volumes", s->root);
    put_str(p, "configFile", "ConfigFile", "");
    put_int(ctrs, "number", "Number", (long long)n);
    put_int(ctrs, "paused", "Paused", 0);
    put_int(ctrs, "running", "Running", (long long)rl_strv_len(up));
    put_int(ctrs, "stopped", "Stopped", (long long)(n - rl_strv_len(up)));
    put_pair(p, "containerStore", "ContainerStore", ctrs);
    put_str(p, "graphDriverName", "GraphDriverName", rl_store_driver_name(d));
    put_str(p, "graphDriverReason", "GraphDriverReason", reason);
    put(p, "graphOptions", "GraphOptions", json_object_new_object());
    put_str(p, "graphRoot", "GraphRoot", s->root);
    put(p, "graphStatus", "GraphStatus", json_object_new_object());
    put_int(imgs, "number", "Number", (long long)db.n);
    put_pair(p, "imageStore", "ImageStore", imgs);
    put_str(p, "runRoot", "RunRoot", runroot);
    put_str(p, "volumePath", "VolumePath", volumes);
    rl_store_image_db_free(&db);
    return 0;
}

static pair_t registries(void)
{
    pair_t p = pair_new();
    rl_registries_t r = {0};
    rl_error_t e = RL_ERROR_INIT;
    if (rl_registries_load(&r, &e) < 0) rl_error_clear(&e);
    json_object *search = rl_json_new_strv((const char *const *)r.search);
    put(p, "search", "Search", search);
    rl_registries_clear(&r);
    return p;
}

static pair_t plugins(void)
{
    pair_t p = pair_new();
    static const char *const logs[] = {"k8s-file", "none", "passthrough", NULL};
    static const char *const none[] = {NULL};
    put(p, "log", "Log", rl_json_new_strv(logs));
    put(p, "network", "Network", rl_json_new_strv(none));
    put(p, "volume", "Volume", rl_json_new_strv(none));
    return p;
}

static pair_t version(void)
{
    pair_t p = pair_new();
    put_str(p, "APIVersion", "APIVersion", RL_VERSION);
    put_int(p, "Built", "Built", 0);
    put_str(p, "BuiltTime", "BuiltTime", "");
    put_str(p, "GitCommit", "GitCommit", "");
    put_str(p, "GoVersion", "GoVersion", "");
    put_str(p, "Os", "Os", "linux");
    rl_autofree char *osarch = xasprintf("linux/%s", rl_go_arch());
    put_str(p, "OsArch", "OsArch", osarch);
    put_str(p, "Version", "Version", RL_VERSION);
    return p;
}

int rl_engine_info(rl_store_t *s, const char *driver_flag, json_object **json_out,
                   json_object **tmpl_out, rl_error_t *err)
{
    pair_t top = pair_new(), st = pair_new();
    put_pair(top, "host", "Host", host());
    if (store(s, driver_flag, st, err) < 0) {
        json_object_put(st.js), json_object_put(st.go);
        json_object_put(top.js), json_object_put(top.go);
        return -1;
    }
    put_pair(top, "store", "Store", st);
    put_pair(top, "registries", "Registries", registries());
    put_pair(top, "plugins", "Plugins", plugins());
    put_pair(top, "version", "Version", version());
    *json_out = top.js, *tmpl_out = top.go;
    return 0;
}
