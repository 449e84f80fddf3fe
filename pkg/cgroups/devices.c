/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources.devices: the device cgroup's rules. rl applies them where
 * it can (root on cgroup v1: the devices controller) and, elsewhere, takes
 * only the rules it need not enforce; never silently ignored. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/xalloc.h"

static int access_of(json_object *d, const char *p, char out[4], rl_error_t *err)
{
    const char *a = "rwm";
    if (rl_json_str(d, p, "access", false, &a, err) < 0) return -1;
    size_t n = 0;
    for (const char *c = a; *c; c++) {
        if (!strchr("rwm", *c))
            return rl_error_set(err, 0, "%s.access: '%s': only r, w and m", p, a);
        if (!memchr(out, *c, n)) out[n++] = *c;
        if (n > 3) break;
    }
    if (n == 0) return rl_error_set(err, 0, "%s.access: empty", p);
    out[n] = '\0';
    return 0;
}

static int rule(json_object *d, const char *p, rl_dev_rule_t *r, rl_error_t *err)
{
    const char *type = "a";
    if (!json_object_is_type(d, json_type_object))
        return rl_error_set(err, 0, "%s: expected an object", p);
    if (!json_object_object_get_ex(d, "allow", NULL))
        return rl_error_set(err, 0, "%s.allow: required", p);
    r->major = r->minor = -1;
    if (rl_json_bool(d, p, "allow", &r->allow, err) < 0 ||
        rl_json_str(d, p, "type", false, &type, err) < 0 ||
        rl_json_i64(d, p, "major", -1, INT32_MAX, &r->major, err) < 0 ||
        rl_json_i64(d, p, "minor", -1, INT32_MAX, &r->minor, err) < 0 ||
        access_of(d, p, r->access, err) < 0)
        return -1;
    if (strlen(type) != 1 || !strchr("acb", type[0]))
        return rl_error_set(err, 0, "%s.type: '%s': expected a, c or b", p, type);
    r->type = type[0];
    return 0;
}

int rl_cgroup_devices_parse(json_object *res, rl_dev_rules_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    json_object *v;
    int got =
        res ? rl_json_get(res, "linux.resources", "devices", json_type_array, false, &v, err) : 0;
    if (got <= 0) return got;
    size_t n = json_object_array_length(v);
    out->v = xcalloc(n ? n : 1, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        char p[64];
        snprintf(p, sizeof p, "linux.resources.devices[%zu]", i);
        if (rule(json_object_array_get_idx(v, i), p, &out->v[i], err) < 0) {
            rl_cgroup_devices_clear(out);
            return -1;
        }
        out->n++;
    }
    return 0;
}

void rl_cgroup_devices_clear(rl_dev_rules_t *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

static void number(char *buf, size_t len, int64_t v)
{
    if (v < 0)
        snprintf(buf, len, "*");
    else
        snprintf(buf, len, "%" PRId64, v);
}

/* "c 1:3 rwm", as devices.allow and devices.list write it */
void rl_cgroup_device_line(const rl_dev_rule_t *r, char *buf, size_t len)
{
    if (r->type == 'a') {
        snprintf(buf, len, "a");
        return;
    }
    char maj[24], min[24];
    number(maj, sizeof maj, r->major);
    number(min, sizeof min, r->minor);
    snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, r->access);
}

/* Without a device cgroup a container reaches only the device nodes bound
 * into it: those of a user namespace's own mounts cannot be opened. So
 * allow rules, and the deny-everything rule every rootless spec starts
 * with (`runc spec --rootless`, podman), hold without enforcement; a rule
 * denying a particular device does not. */
int rl_cgroup_devices_unenforced(const rl_dev_rules_t *r, const char *why, rl_error_t *err)
{
    for (size_t i = 0; i < r->n; i++) {
        const rl_dev_rule_t *d = &r->v[i];
        if (d->allow || d->type == 'a' ||
            (d->major < 0 && d->minor < 0 && !strcmp(d->access, "rwm")))
            continue;
        char line[80];
        rl_cgroup_device_line(d, line, sizeof line);
        return rl_error_set(err, 0,
                            "linux.resources.devices[%zu]: cannot deny '%s' %s (rl applies device "
                            "rules only as root on cgroup v1); remove the rule",
                            i, line, why);
    }
    return 0;
}

/* What every container's /dev holds (pkg/runtime/devices.c binds these and
 * the spec's linux.devices), allowed after the spec's rules as runc does:
 * a deny-everything rule must not take /dev/null away. */
static const rl_dev_rule_t always[] = {
    {true, 'c', 1, 3, "rwm"}, {true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 7, "rwm"},
    {true, 'c', 1, 8, "rwm"}, {true, 'c', 1, 9, "rwm"}, {true, 'c', 5, 0, "rwm"},
    {true, 'c', 5, 1, "rwm"}, {true, 'c', 5, 2, "rwm"}, {true, 'c', 136, -1, "rwm"},
};

static int write_rule(const char *dir, const rl_dev_rule_t *d, rl_error_t *err)
{
    char line[80];
    rl_cgroup_device_line(d, line, sizeof line);
    if (rl_cgroup_write(dir, d->allow ? "devices.allow" : "devices.deny", line, err) < 0)
        return rl_error_wrap(err, "device rule '%s'", line);
    return 0;
}

static int write_rules(const char *dir, const rl_dev_rules_t *r, const rl_spec_t *spec,
                       rl_error_t *err)
{
    for (size_t i = 0; i < r->n; i++)
        if (write_rule(dir, &r->v[i], err) < 0) return -1;
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (write_rule(dir, &always[i], err) < 0) return -1;
    for (size_t i = 0; spec && i < spec->n_devices; i++) {
        const rl_spec_device_t *d = &spec->devices[i];
        if (d->type != 'c' && d->type != 'b' && d->type != 'u') continue; /* fifos need none */
        rl_dev_rule_t a = {true, d->type == 'b' ? 'b' : 'c', d->major, d->minor, "rwm"};
        if (write_rule(dir, &a, err) < 0) return -1;
    }
    return 0;
}

/* The devices cgroup: linux.cgroupsPath (absolute: from the controller's
 * root; relative: below our own), else rl/<name> below our own. */
static char *devices_dir(const char *root, const char *self, const char *cgpath, const char *name,
                         rl_error_t *err)
{
    if (cgpath && strchr(cgpath, ':')) {
        rl_error_set(err, 0,
                     "linux.cgroupsPath '%s': the systemd form is not supported on cgroup v1",
                     cgpath);
        return NULL;
    }
    if (cgpath && (strstr(cgpath, "/../") || !strncmp(cgpath, "../", 3) || !strcmp(cgpath, "..") ||
                   (strlen(cgpath) >= 3 && !strcmp(cgpath + strlen(cgpath) - 3, "/..")))) {
        rl_error_set(err, 0, "linux.cgroupsPath '%s': '..' is not allowed", cgpath);
        return NULL;
    }
    if (cgpath && cgpath[0] == '/') return xasprintf("%s/devices%s", root, cgpath);
    rl_autofree char *own = rl_cgroup_of(self, "devices");
    const char *base = own && strcmp(own, "/") ? own : "";
    return cgpath ? xasprintf("%s/devices%s/%s", root, base, cgpath)
                  : xasprintf("%s/devices%s/rl/%s", root, base, name);
}

bool rl_cgroup_host_root(void)
{
    /* root of a user namespace (buildah's, podman unshare's) is not root */
    if (geteuid() != 0) return false;
    rl_autofree char *map = NULL;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_read_file("/proc/self/uid_map", 4096, &map, NULL, &err) < 0) {
        rl_error_clear(&err);
        return false;
    }
    unsigned long in, out, len;
    return sscanf(map, "%lu %lu %lu", &in, &out, &len) == 3 && in == 0 && out == 0 &&
           len == 4294967295UL;
}

int rl_cgroup_devices_prepare_at(const char *root, bool v2, const char *self, bool host_root,
                                 const rl_spec_t *spec, const char *name, rl_cgroup_t **out,
                                 rl_error_t *err)
{
    rl_dev_rules_t r;
    *out = NULL;
    if (rl_cgroup_devices_parse(spec->resources, &r, err) < 0) return -1;
    int ret = 0;
    if (r.n == 0)
        ;
    else if (!host_root)
        ret = rl_cgroup_devices_unenforced(&r, "without root", err);
    else if (v2)
        ret = rl_cgroup_devices_unenforced(&r, "on cgroup v2 (an eBPF device program)", err);
    else {
        rl_autofree char *dir = devices_dir(root, self, spec->cgroups_path, name, err);
        if (!dir || rl_fs_mkdir_p(dir, 0755, err) < 0 || write_rules(dir, &r, spec, err) < 0) {
            if (dir) rl_error_wrap(err, "linux.resources.devices");
            if (dir) rmdir(dir);
            ret = -1;
        } else {
            *out = xcalloc(1, sizeof **out);
            (*out)->path = rl_steal_ptr(&dir);
        }
    }
    rl_cgroup_devices_clear(&r);
    return ret;
}
