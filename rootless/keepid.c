/* SPDX-License-Identifier: Apache-2.0 */
/* keep-id mappings and storage id translation (see keepid.h). */
#include "keepid.h"

#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"

static void push(rl_idmap_t **m, size_t *n, uint32_t c, uint32_t h, uint32_t len)
{
    *m = xreallocarray(*m, *n + 1, sizeof **m);
    (*m)[(*n)++] = (rl_idmap_t){c, h, len};
}

int rl_idmap_keep_id(const rl_idmap_t *def, size_t n, uint32_t keep, rl_idmap_t **out,
                     size_t *n_out, rl_error_t *err)
{
    *out = NULL;
    *n_out = 0;
    if (n < 2)
        return rl_error_set(err, 0,
                            "--userns=keep-id needs subordinate ids (usermod --add-subuids "
                            "100000-165535 --add-subgids 100000-165535 USER)");
    uint32_t next = 0;
    for (size_t i = 1; i < n; i++) {
        uint32_t h = def[i].host_id, left = def[i].size;
        while (left > 0) {
            if (next == keep) next++;
            uint32_t take = next < keep && keep - next < left ? keep - next : left;
            if (next > UINT32_MAX - take) break; /* ran out of container ids */
            push(out, n_out, next, h, take);
            next += take, h += take, left -= take;
        }
    }
    push(out, n_out, keep, def[0].host_id, 1);
    return rl_idmap_validate(*out, *n_out, "keep-id mapping", err);
}

void rl_idmap_pairs(const rl_idmap_t *ctr, size_t nc, const rl_idmap_t *stor, size_t ns,
                    rl_idpair_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; i < nc; i++) {
        for (size_t j = 0; j < ns; j++) {
            uint64_t c_lo = ctr[i].host_id, c_hi = c_lo + ctr[i].size;
            uint64_t s_lo = stor[j].host_id, s_hi = s_lo + stor[j].size;
            uint64_t lo = c_lo > s_lo ? c_lo : s_lo, hi = c_hi < s_hi ? c_hi : s_hi;
            if (lo >= hi) continue;
            *out = xreallocarray(*out, *n_out + 1, sizeof **out);
            (*out)[(*n_out)++] =
                (rl_idpair_t){(uint32_t)(ctr[i].container_id + (lo - c_lo)),
                              (uint32_t)(stor[j].container_id + (lo - s_lo)), (uint32_t)(hi - lo)};
        }
    }
}

bool rl_idpair_shift(const rl_idpair_t *p, size_t n, uint32_t id, uint32_t *out)
{
    for (size_t i = 0; i < n; i++) {
        if (id >= p[i].ctr && id - p[i].ctr < p[i].len) {
            *out = p[i].stor + (id - p[i].ctr);
            return true;
        }
    }
    return false;
}

char *rl_idpair_fuse_option(const rl_idpair_t *p, size_t n)
{
    rl_strbuf_t sb = RL_STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        rl_strbuf_appendf(&sb, "%s%u:%u:%u", i ? ":" : "", p[i].ctr, p[i].stor, p[i].len);
    return rl_strbuf_steal(&sb);
}
