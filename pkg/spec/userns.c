/* SPDX-License-Identifier: Apache-2.0 */
/* --userns values and the mappings they give (see userns.h). */
#include "userns.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkg/util/xalloc.h"
#include "spec.h"

static int parse_id(const char *v, const char *what, uint32_t *out, rl_error_t *err)
{
    char *end = NULL;
    unsigned long x = strtoul(v, &end, 10);
    if (!*v || *end || x > 0xfffffffeUL || *v == '-')
        return rl_error_set(err, 0, "--userns keep-id: %s '%s' is not a number", what, v);
    *out = (uint32_t)x;
    return 0;
}

/* "uid=N,gid=N" after "keep-id:". */
static int parse_keep_id_opts(char *opts, rl_spec_userns_t *u, rl_error_t *err)
{
    for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
        if (!strncmp(o, "uid=", 4)) {
            if (parse_id(o + 4, "uid", &u->uid, err) < 0) return -1;
        } else if (!strncmp(o, "gid=", 4)) {
            if (parse_id(o + 4, "gid", &u->gid, err) < 0) return -1;
        } else {
            return rl_error_set(err, 0, "--userns keep-id: unknown option '%s' (use uid=N, gid=N)",
                                o);
        }
    }
    return 0;
}

int rl_spec_userns_parse(const char *value, rl_spec_userns_t *u, rl_error_t *err)
{
    memset(u, 0, sizeof *u);
    if (!value || !*value || !strcmp(value, "host") || !strcmp(value, "private")) return 0;
    if (strcmp(value, "keep-id") && strncmp(value, "keep-id:", 8))
        return rl_error_set(err, 0, "--userns '%s': use host, private or keep-id[:uid=N,gid=N]",
                            value);
    if (geteuid() == 0)
        return rl_error_set(err, 0, "--userns keep-id: only for rootless use (you are root)");
    u->keep_id = true;
    u->uid = (uint32_t)geteuid();
    u->gid = (uint32_t)getegid();
    if (!value[7]) return 0;
    char *opts = xstrdup(value + 8);
    int r = parse_keep_id_opts(opts, u, err);
    free(opts);
    return r;
}

int rl_spec_userns_maps(const rl_spec_userns_t *u, rl_spec_userns_maps_t *m, rl_error_t *err)
{
    memset(m, 0, sizeof *m);
    rl_idmap_t *du = NULL, *dg = NULL;
    size_t ndu = 0, ndg = 0;
    if (rl_idmap_default(geteuid(), getegid(), &du, &ndu, &dg, &ndg, err) < 0) return -1;
    if (!u->keep_id) {
        m->uids = du, m->n_uids = ndu, m->gids = dg, m->n_gids = ndg;
        return 0;
    }
    int r = -1;
    if (rl_idmap_keep_id(du, ndu, u->uid, &m->uids, &m->n_uids, err) == 0 &&
        rl_idmap_keep_id(dg, ndg, u->gid, &m->gids, &m->n_gids, err) == 0) {
        rl_idmap_pairs(m->uids, m->n_uids, du, ndu, &m->uid_pairs, &m->n_uid_pairs);
        rl_idmap_pairs(m->gids, m->n_gids, dg, ndg, &m->gid_pairs, &m->n_gid_pairs);
        r = 0;
    }
    free(du);
    free(dg);
    if (r < 0) rl_spec_userns_maps_clear(m);
    return r;
}

void rl_spec_userns_maps_clear(rl_spec_userns_maps_t *m)
{
    free(m->uids), free(m->gids), free(m->uid_pairs), free(m->gid_pairs);
    memset(m, 0, sizeof *m);
}

/* def: the default map (0 → the caller, 1.. → subordinate ids); keep: the
 * container id the caller gets. Without subordinate ids, keep → the caller. */
static int fill_one(rl_idmap_t *def, size_t n_def, uint32_t keep, rl_idmap_t **out, size_t *n_out,
                    rl_error_t *err)
{
    if (keep == 0 || n_def < 2) {
        if (n_def && keep) def[0].container_id = keep;
        *out = def, *n_out = n_def;
        return 0;
    }
    int r = rl_idmap_keep_id(def, n_def, keep, out, n_out, err);
    free(def);
    return r;
}

int rl_spec_fill_idmaps(rl_spec_t *s, rl_error_t *err)
{
    if (!s->ns[RL_NS_USER].wanted || s->ns[RL_NS_USER].path) return 0;
    if (s->n_uid_maps && s->n_gid_maps) return 0;
    rl_idmap_t *du = NULL, *dg = NULL;
    size_t ndu = 0, ndg = 0;
    if (rl_idmap_default(geteuid(), getegid(), &du, &ndu, &dg, &ndg, err) < 0) return -1;
    int r = 0;
    if (!s->n_uid_maps)
        r = fill_one(du, ndu, s->process.user.uid, &s->uid_maps, &s->n_uid_maps, err);
    else
        free(du);
    if (r == 0 && !s->n_gid_maps)
        r = fill_one(dg, ndg, s->process.user.gid, &s->gid_maps, &s->n_gid_maps, err);
    else
        free(dg);
    return r;
}
