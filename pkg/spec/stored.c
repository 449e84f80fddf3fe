/* SPDX-License-Identifier: Apache-2.0 */
/* A stored spec's few fields (see stored.h). */
#include "stored.h"

#include <json-c/json.h>
#include <signal.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/json.h"
#include "pkg/util/signame.h"
#include "pkg/util/xalloc.h"

#define SPEC_MAX (16 << 20)

static int annotations(json_object *spec, rl_spec_stored_t *out, rl_error_t *err)
{
    json_object *a = NULL;
    if (rl_json_get(spec, "", "annotations", json_type_object, false, &a, err) < 0) return -1;
    size_t n = a ? (size_t)json_object_object_length(a) : 0, i = 0;
    out->annotations = xcalloc(n + 1, sizeof *out->annotations);
    if (!a) return 0;
    json_object_object_foreach(a, key, val)
    {
        if (!json_object_is_type(val, json_type_string))
            return rl_error_setk(err, RL_ERR_INVALID, 0, "annotations.%s: expected a string", key);
        out->annotations[i++] = xasprintf("%s=%s", key, json_object_get_string(val));
    }
    return 0;
}

static int seccomp(json_object *spec, rl_spec_stored_t *out, rl_error_t *err)
{
    json_object *lx = NULL, *sc = NULL;
    const char *lp = NULL, *lm = NULL;
    if (rl_json_get(spec, "", "linux", json_type_object, false, &lx, err) < 0 ||
        (lx && rl_json_get(lx, "linux", "seccomp", json_type_object, false, &sc, err) < 0) ||
        (sc && (rl_json_str(sc, "linux.seccomp", "listenerPath", false, &lp, err) < 0 ||
                rl_json_str(sc, "linux.seccomp", "listenerMetadata", false, &lm, err) < 0)))
        return -1;
    out->has_seccomp = sc != NULL;
    out->listener_path = lp && *lp ? xstrdup(lp) : NULL;
    out->listener_metadata = lm ? xstrdup(lm) : NULL;
    return 0;
}

int rl_spec_stored_load(const char *path, rl_spec_stored_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    rl_autojson json_object *spec = rl_json_parse_file(path, SPEC_MAX, err);
    json_object *proc = NULL;
    int r = spec ? 0 : -1;
    if (r == 0 && (rl_json_expect(spec, "config", json_type_object, err) < 0 ||
                   rl_json_get(spec, "", "process", json_type_object, false, &proc, err) < 0 ||
                   (proc && rl_json_strv(proc, "process", "args", false, &out->args, err) < 0) ||
                   annotations(spec, out, err) < 0 || seccomp(spec, out, err) < 0))
        r = -1;
    if (r < 0) rl_spec_stored_clear(out);
    return r;
}

void rl_spec_stored_clear(rl_spec_stored_t *s)
{
    rl_strv_free(s->args);
    rl_strv_free(s->annotations);
    free(s->listener_path);
    free(s->listener_metadata);
    memset(s, 0, sizeof *s);
}

const char *rl_spec_stored_annotation(const rl_spec_stored_t *s, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; s->annotations && s->annotations[i]; i++)
        if (!strncmp(s->annotations[i], key, n) && s->annotations[i][n] == '=')
            return s->annotations[i] + n + 1;
    return NULL;
}

int rl_spec_stored_stop_signal(const rl_spec_stored_t *s)
{
    const char *v = rl_spec_stored_annotation(s, "org.opencontainers.image.stopSignal");
    int sig = v ? rl_signal_parse(v) : -1;
    return sig > 0 ? sig : SIGTERM;
}
