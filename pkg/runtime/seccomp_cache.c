/* SPDX-License-Identifier: Apache-2.0 */
/* Compiled seccomp programs kept in the user's runtime dir, keyed by the
 * exact linux.seccomp JSON: podman's default profile takes libseccomp ~10 ms
 * to compile, the same every run. The runtime dir is the user's own (0700),
 * and a hit must match the whole JSON text, not just its hash. Notify
 * filters (listenerPath) are not cached. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "rootless/rundir.h"
#include "seccomp.h"

/* -2: binary-tree programs; older entries are compiled again */
#define MAGIC "rl-seccomp-2"

typedef struct header {
    char magic[16];
    uint64_t json_len, prog_len;
    uint32_t flags;
} header_t;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static char *cache_path(const char *json, size_t len)
{
    rl_error_t err = RL_ERROR_INIT;
    rl_autofree char *base = rl_rundir_base(&err);
    if (!base) return rl_error_clear(&err), NULL;
    rl_autofree char *dir = xasprintf("%s/rl/seccomp", base);
    if (rl_fs_mkdir_p(dir, 0700, &err) < 0) return rl_error_clear(&err), NULL;
    return xasprintf("%s/%016llx", dir, (unsigned long long)fnv1a(json, len));
}

static bool load(const char *path, const char *json, size_t len, rl_seccomp_t *out)
{
    rl_autofree char *data = NULL;
    size_t n = 0;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_read_file(path, 16 << 20, &data, &n, &err) < 0) return rl_error_clear(&err), false;
    header_t h;
    if (n < sizeof h) return false;
    memcpy(&h, data, sizeof h);
    size_t prog_bytes = h.prog_len * sizeof(struct sock_filter);
    if (strcmp(h.magic, MAGIC) || h.json_len != len || h.prog_len == 0 || h.prog_len > 65536 ||
        n != sizeof h + len + prog_bytes || memcmp(data + sizeof h, json, len))
        return false;
    memset(out, 0, sizeof *out);
    out->prog = xmalloc(prog_bytes);
    memcpy(out->prog, data + sizeof h + len, prog_bytes);
    out->len = h.prog_len;
    out->flags = h.flags;
    return true;
}

static void save(const char *path, const char *json, size_t len, const rl_seccomp_t *sc)
{
    header_t h = {.json_len = len, .prog_len = sc->len, .flags = sc->flags};
    snprintf(h.magic, sizeof h.magic, "%s", MAGIC);
    size_t prog_bytes = sc->len * sizeof(struct sock_filter), total = sizeof h + len + prog_bytes;
    rl_autofree char *data = xmalloc(total);
    memcpy(data, &h, sizeof h);
    memcpy(data + sizeof h, json, len);
    memcpy(data + sizeof h + len, sc->prog, prog_bytes);
    rl_error_t err = RL_ERROR_INIT;
    if (rl_fs_write_volatile(path, data, total, 0600, &err) < 0) rl_error_clear(&err);
}

int rl_seccomp_compile_cached(json_object *obj, const char *path, rl_seccomp_t *out,
                              rl_error_t *err)
{
    const char *json = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
    size_t len = strlen(json);
    json_object *lp = NULL;
    bool notify_possible =
        json_object_object_get_ex(obj, "listenerPath", &lp) || strstr(json, "SCMP_ACT_NOTIFY");
    rl_autofree char *file = notify_possible ? NULL : cache_path(json, len);
    if (file && load(file, json, len, out)) return 0;
    if (rl_seccomp_compile(obj, path, out, err) < 0) return -1;
    if (file && !out->notify) save(file, json, len, out);
    return 0;
}
