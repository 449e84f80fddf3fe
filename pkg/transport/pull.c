/* SPDX-License-Identifier: Apache-2.0 */
/* Pulling an image (see pull.h). */
#include "pull.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "auth.h"
#include "pkg/image/config.h"
#include "import.h"
#include "pkg/image/reference.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/log.h"
#include "registries.h"
#include "registry.h"
#include "storage/images.h"
#include "storage/layers.h"

#define PARALLEL   6
#define CONFIG_MAX (8 << 20)

/* Where a layer's bytes come from: a thread in the storage child streams
 * the blob into a pipe that the extractor reads. */
typedef struct blob_src {
    rl_registry_t *reg;
    const char *digest;
    int64_t size; /* the descriptor's */
    volatile uint64_t *progress;
    int wfd;
    pthread_t thread;
    int result;
    rl_error_t err;
} blob_src_t;

static void *blob_thread(void *arg)
{
    blob_src_t *b = arg;
    b->result = rl_registry_blob_fd(b->reg, b->digest, b->size, b->wfd, b->progress, &b->err);
    close(b->wfd);
    return NULL;
}

static int blob_open(void *arg, rl_error_t *err)
{
    blob_src_t *b = arg;
    int p[2];
    /* The extractor may stop reading early (a bad layer): no SIGPIPE then. */
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(p, O_CLOEXEC) < 0) return rl_error_set(err, errno, "pipe");
    if (b->progress) *b->progress = 0;
    b->wfd = p[1];
    rl_error_clear(&b->err);
    if (pthread_create(&b->thread, NULL, blob_thread, b) != 0) {
        close(p[0]), close(p[1]);
        return rl_error_set(err, 0, "start download thread");
    }
    return p[0];
}

static int blob_close(void *arg, int fd, rl_error_t *err)
{
    blob_src_t *b = arg;
    /* Read what the extractor left (it stops early on a bad layer) so the
     * download completes and its digest can be judged. */
    char buf[65536];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
    pthread_join(b->thread, NULL);
    if (b->result != 0 && b->err.msg) {
        rl_error_clear(err);
        *err = b->err;
        b->err = (rl_error_t)RL_ERROR_INIT;
    }
    return b->result;
}

typedef struct pull {
    rl_store_t *s;
    const rl_pull_opts_t *o;
    rl_registry_t reg;
    char *name;         /* the full name being pulled */
    char *index_digest; /* when the manifest came through an index */
    char *manifest, *manifest_digest;
    size_t manifest_len;
    rl_manifest_t m;
    char *config;
    size_t config_len;
    rl_image_config_t cfg;
} pull_t;

static void pull_clear(pull_t *p)
{
    rl_registry_clear(&p->reg);
    free(p->name), free(p->index_digest), free(p->manifest), free(p->manifest_digest),
        free(p->config);
    rl_manifest_clear(&p->m);
    rl_image_config_free(&p->cfg);
}

/* The manifest for our platform: through the index when there is one. */
static int fetch_manifest(pull_t *p, const char *ref, rl_error_t *err)
{
    char *mt = NULL;
    if (rl_registry_manifest(&p->reg, ref, -1, &p->manifest, &p->manifest_len, &mt,
                             &p->manifest_digest, err) < 0)
        return -1;
    rl_autofree char *type = mt;
    if (rl_manifest_parse(p->manifest, p->manifest_len, type, &p->m, err) < 0) return -1;
    if (!p->m.is_index) return 0;
    const rl_descriptor_t *d = rl_manifest_select(&p->m, &p->o->platform, err);
    if (!d) return -1;
    rl_autofree char *digest = xstrdup(d->digest);
    int64_t size = d->size;
    p->index_digest = rl_steal_ptr(&p->manifest_digest);
    free(p->manifest);
    p->manifest = NULL;
    rl_manifest_clear(&p->m);
    if (rl_registry_manifest(&p->reg, digest, size, &p->manifest, &p->manifest_len, &mt,
                             &p->manifest_digest, err) < 0)
        return -1;
    free(type);
    type = mt;
    if (rl_manifest_parse(p->manifest, p->manifest_len, type, &p->m, err) < 0) return -1;
    if (p->m.is_index) return rl_error_set(err, 0, "manifest %s: an index inside an index", digest);
    return 0;
}

static int fetch_config(pull_t *p, rl_error_t *err)
{
    if (p->m.config.size > CONFIG_MAX)
        return rl_error_set(err, 0, "image config: larger than 8 MiB");
    if (rl_registry_blob_mem(&p->reg, p->m.config.digest, p->m.config.size, CONFIG_MAX, &p->config,
                             &p->config_len, err) < 0 ||
        rl_image_config_parse(p->config, p->config_len, &p->cfg, err) < 0)
        return -1;
    if (rl_strv_len(p->cfg.diff_ids) != p->m.n_layers)
        return rl_error_set(err, 0, "image config lists %zu layers, the manifest %zu",
                            rl_strv_len(p->cfg.diff_ids), p->m.n_layers);
    return 0;
}

/* Per-layer job state: the source lives in the parent's memory, which the
 * child inherits; progress counters are shared pages. */
typedef struct job {
    blob_src_t src;
    rl_layer_source_t ls;
    rl_layer_job_t lj;
    char chain[RL_DIGEST_HEX + 1];
    bool started, done;
} job_t;

static void short_id(const char *digest, char out[13])
{
    snprintf(out, 13, "%s", rl_digest_hex(digest));
}

static bool want_bars(const pull_t *p)
{
    return p->o->progress && p->o->progress->bars;
}

/* The byte counts of every layer, for whoever draws bars. */
static void draw(pull_t *p, job_t *jobs, size_t n, volatile uint64_t *prog, bool final)
{
    if (!want_bars(p)) return;
    rl_progress_bar_t *bars = xcalloc(n ? n : 1, sizeof *bars);
    char(*ids)[13] = xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        short_id(p->m.layers[i].digest, ids[i]);
        uint64_t total = p->m.layers[i].size > 0 ? (uint64_t)p->m.layers[i].size : 0;
        bars[i] = (rl_progress_bar_t){
            .id = ids[i], .done = jobs[i].done ? total : prog[i], .total = total};
    }
    p->o->progress->bars(p->o->progress->arg, bars, n, final);
    free(ids);
    free(bars);
}

static int start_job(pull_t *p, job_t *j, size_t i, const char *parent, volatile uint64_t *prog,
                     rl_error_t *err)
{
    j->src = (blob_src_t){.reg = &p->reg,
                          .digest = p->m.layers[i].digest,
                          .size = p->m.layers[i].size,
                          .progress = &prog[i],
                          .wfd = -1};
    j->ls = (rl_layer_source_t){.open = blob_open,
                                .close = blob_close,
                                .arg = &j->src,
                                .what = p->m.layers[i].digest,
                                .expect_blob = p->m.layers[i].digest,
                                .expect_diff = p->cfg.diff_ids[i]};
    if (rl_layer_create_start(p->s, j->chain, *parent ? parent : NULL, &j->ls, &j->lj, err) < 0)
        return -1;
    j->started = true;
    return 0;
}

static int finish_job(pull_t *p, job_t *j, size_t i, rl_error_t *err)
{
    rl_layer_info_t info;
    bool was_present = j->lj.present;
    j->done = true;
    if (rl_layer_create_finish(p->s, &j->lj, &info, err) < 0) return -1;
    char id[13];
    short_id(p->m.layers[i].digest, id);
    rl_progress_step(p->o->progress, was_present ? RL_PROGRESS_BLOB_SKIPPED : RL_PROGRESS_BLOB_DONE,
                     id);
    return 0;
}

/* Wait for any running job to report; finish it. */
static int reap_one(pull_t *p, job_t *jobs, size_t n, volatile uint64_t *prog, rl_error_t *err)
{
    for (;;) {
        struct pollfd fds[64];
        size_t map[64], k = 0;
        for (size_t i = 0; i < n && k < 64; i++)
            if (jobs[i].started && !jobs[i].done) {
                if (jobs[i].lj.present) return finish_job(p, &jobs[i], i, err);
                fds[k] = (struct pollfd){.fd = jobs[i].lj.child.fd, .events = POLLIN};
                map[k++] = i;
            }
        if (k == 0) return 0;
        int r = poll(fds, k, want_bars(p) ? 200 : -1);
        draw(p, jobs, n, prog, false);
        for (size_t i = 0; r > 0 && i < k; i++)
            if (fds[i].revents) return finish_job(p, &jobs[map[i]], map[i], err);
    }
}

static void abort_jobs(pull_t *p, job_t *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].started && !jobs[i].done) rl_layer_job_abort(p->s, &jobs[i].lj);
}

static int fetch_layers(pull_t *p, char ***chains, rl_error_t *err)
{
    size_t n = p->m.n_layers;
    job_t *jobs = xcalloc(n ? n : 1, sizeof *jobs);
    volatile uint64_t *prog = mmap(NULL, (n + 1) * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (prog == MAP_FAILED) abort();
    char parent[RL_DIGEST_HEX + 1] = "";
    int r = 0;
    size_t running = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        if ((r = rl_layer_chain_id(*parent ? parent : NULL, p->cfg.diff_ids[i], jobs[i].chain,
                                   err)) < 0)
            break;
        rl_strv_push(chains, xstrdup(jobs[i].chain));
        if (running >= PARALLEL && (r = reap_one(p, jobs, n, prog, err)) == 0) running--;
        if (r == 0) r = start_job(p, &jobs[i], i, parent, prog, err);
        running++;
        memcpy(parent, jobs[i].chain, sizeof parent);
    }
    while (r == 0 && running-- > 0)
        r = reap_one(p, jobs, n, prog, err);
    if (r < 0)
        abort_jobs(p, jobs, n);
    else
        draw(p, jobs, n, prog, true);
    munmap((void *)prog, (n + 1) * sizeof(uint64_t));
    free(jobs);
    return r;
}

static int commit(pull_t *p, char **chains, char **id, rl_error_t *err)
{
    char cid[RL_DIGEST_LEN + 1];
    if (rl_sha256_data(p->config, p->config_len, cid, err) < 0) return -1;
    char *names[] = {p->name, NULL};
    char *digests[] = {p->manifest_digest, p->index_digest, NULL};
    uint64_t size = 0;
    for (size_t i = 0; chains[i]; i++)
        size += rl_layer_size(p->s, chains[i]);
    rl_store_image_t img = {.id = (char *)rl_digest_hex(cid),
                            .names = strchr(p->name, '@') ? NULL : names,
                            .digests = digests,
                            .layers = chains,
                            .created = p->cfg.created,
                            .arch = p->cfg.arch,
                            .os = p->cfg.os,
                            .size = size};
    rl_autofree char *manifest = xstrndup(p->manifest, p->manifest_len);
    rl_autofree char *config = xstrndup(p->config, p->config_len);
    if (rl_store_image_commit(p->s, &img, manifest, config, err) < 0) return -1;
    *id = xstrdup(img.id);
    return 0;
}

/* One name from one endpoint. */
static int pull_from(pull_t *p, const rl_endpoint_t *ep, const char *ref, char **id,
                     rl_error_t *err)
{
    bool insecure = p->o->tls_verify == 0 || (p->o->tls_verify < 0 && ep->insecure);
    if (rl_registry_init(&p->reg, ep->host, ep->repo, insecure, err) < 0) return -1;
    rl_autofree char *auth_key = xasprintf("%s/%s", ep->host, ep->repo);
    if (rl_auth_lookup(auth_key, &p->reg.basic, err) < 0) return -1;
    if (fetch_manifest(p, ref, err) < 0 || fetch_config(p, err) < 0) return -1;
    /* Said once the registry answered: a pull that fails before is one
     * "rl:" line, not podman's two. */
    rl_progress_step(p->o->progress, RL_PROGRESS_TRYING, p->name);
    rl_progress_step(p->o->progress, RL_PROGRESS_SIGNATURES, NULL);
    rl_autostrv char **chains = NULL;
    if (fetch_layers(p, &chains, err) < 0) return -1;
    char cid[13];
    short_id(p->m.config.digest, cid);
    rl_progress_step(p->o->progress, RL_PROGRESS_CONFIG, cid);
    rl_progress_step(p->o->progress, RL_PROGRESS_MANIFEST, NULL);
    return commit(p, chains, id, err);
}

/* ref part of a full name: the digest, else the tag. */
static const char *ref_part(const char *name, char **repo)
{
    const char *at = strchr(name, '@');
    const char *slash = strrchr(name, '/');
    const char *colon = at ? NULL : strrchr(slash ? slash : name, ':');
    const char *cut = at ? at : colon;
    *repo = cut ? xstrndup(name, (size_t)(cut - name)) : xstrdup(name);
    return cut ? cut + 1 : "latest";
}

static int pull_name(rl_store_t *s, const rl_pull_opts_t *o, const rl_registries_t *regs,
                     const char *name, char **id, rl_error_t *err)
{
    rl_autofree char *repo = NULL;
    const char *ref = ref_part(name, &repo);
    rl_endpoint_t *eps = NULL;
    size_t n = 0;
    if (rl_registries_endpoints(regs, repo, &eps, &n, err) < 0) return -1;
    int r = -1;
    for (size_t i = 0; i < n && r < 0; i++) {
        if (i > 0) rl_debug("trying the next source after: %s", err->msg), rl_error_clear(err);
        pull_t p = {.s = s, .o = o, .name = xstrdup(name)};
        r = pull_from(&p, &eps[i], ref, id, err);
        pull_clear(&p);
    }
    rl_endpoints_free(eps, n);
    return r;
}

int rl_transport_pull(rl_store_t *s, const rl_pull_opts_t *o, char **id, rl_error_t *err)
{
    rl_registries_t regs;
    if (rl_registries_load(&regs, err) < 0) return -1;
    rl_autostrv char **names = NULL;
    int r = rl_registries_candidates(&regs, o->image, &names, err);
    rl_store_clean_leftovers(s);
    rl_autoclose int hold = r == 0 ? rl_store_hold_layers(s, err) : -1;
    if (r == 0 && hold < 0) r = -1;
    for (size_t i = 0; r == 0 && names[i]; i++) {
        r = pull_name(s, o, &regs, names[i], id, err);
        if (r < 0 && names[i + 1]) {
            rl_debug("%s: %s", names[i], err->msg);
            rl_error_clear(err);
            r = 0;
            continue;
        }
        break;
    }
    rl_registries_clear(&regs);
    return r;
}
