/* SPDX-License-Identifier: Apache-2.0 */
/* Registry HTTP API v2 client (see registry.h). */
#include "registry.h"

/* plain prototypes: the calls go through the table below */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "challenge.h"
#include "pkg/util/cleanup.h"
#include "pkg/util/digest.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/strbuf.h"

#include "pkg/util/dl.h"

// clang-format off
#define CURL_SYMS(X) \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_perform) \
    X(curl_easy_getinfo) X(curl_easy_cleanup) X(curl_slist_append) X(curl_slist_free_all) \
    X(curl_easy_strerror) X(curl_easy_escape) X(curl_free)
// clang-format on
RL_DL_TABLE(curl, CURL_SYMS, "libcurl.so.4", "libcurl4")
#define curl_global_init curl.curl_global_init
#define curl_easy_init   curl.curl_easy_init
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_setopt    curl.curl_easy_setopt
#define curl_easy_perform   curl.curl_easy_perform
#define curl_easy_getinfo   curl.curl_easy_getinfo
#define curl_easy_cleanup   curl.curl_easy_cleanup
#define curl_slist_append   curl.curl_slist_append
#define curl_slist_free_all curl.curl_slist_free_all
#define curl_easy_strerror  curl.curl_easy_strerror
#define curl_easy_escape    curl.curl_easy_escape
#define curl_free           curl.curl_free

#ifndef RL_VERSION
#define RL_VERSION "dev"
#endif

#define MANIFEST_ACCEPT                                                                            \
    "Accept: application/vnd.oci.image.index.v1+json, "                                            \
    "application/vnd.docker.distribution.manifest.list.v2+json, "                                  \
    "application/vnd.oci.image.manifest.v1+json, "                                                 \
    "application/vnd.docker.distribution.manifest.v2+json"

static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int rl_registry_init(rl_registry_t *r, const char *host, const char *repo, bool insecure,
                     rl_error_t *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    memset(r, 0, sizeof *r);
    if (curl_load(err) < 0) return -1;
    pthread_once(&once, global_init);
    /* Docker Hub's API lives on another host than its name. */
    r->host = xstrdup(!strcmp(host, "docker.io") ? "registry-1.docker.io" : host);
    r->repo = xstrdup(repo);
    r->insecure = insecure;
    r->scheme = xstrdup("https");
    r->retries = 4;
    r->stall_secs = 30;
    const char *env = getenv("RL_REGISTRY_STALL_TIMEOUT");
    if (env && atoi(env) > 0 && atoi(env) <= 3600) r->stall_secs = atoi(env);
    return 0;
}

void rl_registry_clear(rl_registry_t *r)
{
    free(r->host), free(r->repo), free(r->scheme), free(r->basic), free(r->token);
    memset(r, 0, sizeof *r);
}

/* One HTTP exchange. */
typedef struct req {
    const char *accept;
    rl_strbuf_t body;
    size_t max;
    bool too_big;
    int fd;          /* stream a 200 body here (blobs) */
    bool sized;      /* a 200 body must be exactly expect bytes */
    uint64_t expect; /* (its descriptor's size) */
    uint64_t got;    /* bytes of the 200 body so far */
    bool over;       /* the 200 body ran past expect */
    int stall_secs;
    struct timespec last; /* when the last byte came */
    bool stalled;         /* nothing came for stall_secs */
    volatile uint64_t *progress;
    rl_sha256_t *hash; /* of what was streamed */
    bool write_failed;
    long status, hdr_status;
    char *www_auth, *content_type, *docker_digest;
} req_t;

static void req_reset(req_t *q)
{
    rl_strbuf_free(&q->body);
    free(q->www_auth), free(q->content_type), free(q->docker_digest);
    q->www_auth = q->content_type = q->docker_digest = NULL;
    q->too_big = q->write_failed = q->over = q->stalled = false;
    q->status = q->hdr_status = 0;
    q->got = 0;
}

static char *header_value(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) || line[k] != ':') return NULL;
    const char *v = line + k + 1;
    const char *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    return xstrndup(v, (size_t)(end - v));
}

static void now(struct timespec *ts)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
}

static size_t on_header(char *line, size_t size, size_t n, void *data)
{
    req_t *q = data;
    size_t len = size * n;
    now(&q->last);
    /* Each response of a redirect chain starts over. */
    if (len > 5 && !strncmp(line, "HTTP/", 5)) {
        free(q->www_auth), free(q->content_type), free(q->docker_digest);
        q->www_auth = q->content_type = q->docker_digest = NULL;
        const char *sp = memchr(line, ' ', len);
        q->hdr_status = sp ? strtol(sp + 1, NULL, 10) : 0;
    }
    char *v;
    if (q->hdr_status == 200 && (v = header_value(line, len, "Content-Length"))) {
        /* More than we would take is refused before its first byte. */
        unsigned long long cl = strtoull(v, NULL, 10);
        free(v);
        uint64_t limit = q->sized ? q->expect : q->fd >= 0 ? UINT64_MAX : q->max;
        if (cl > limit) return *(q->sized ? &q->over : &q->too_big) = true, 0;
    } else if ((v = header_value(line, len, "WWW-Authenticate")))
        free(q->www_auth), q->www_auth = v;
    else if ((v = header_value(line, len, "Content-Type")))
        free(q->content_type), q->content_type = v;
    else if ((v = header_value(line, len, "Docker-Content-Digest")))
        free(q->docker_digest), q->docker_digest = v;
    return len;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

typedef struct cb {
    req_t *q;
    CURL *c;
} cb_t;

static size_t on_body(char *p, size_t size, size_t n, void *data)
{
    cb_t *cb = data;
    req_t *q = cb->q;
    size_t len = size * n;
    long status = 0;
    now(&q->last);
    curl_easy_getinfo(cb->c, CURLINFO_RESPONSE_CODE, &status);
    /* Never past the descriptor's size: a registry sending more (or
     * without end) is cut off at the first byte too many. */
    if (status == 200 && q->sized && q->got + len > q->expect) return q->over = true, 0;
    if (status == 200) q->got += len;
    if (q->fd >= 0 && status == 200) {
        if (!write_all(q->fd, p, len)) return q->write_failed = true, 0;
        if (q->hash) rl_sha256_update(q->hash, p, len);
        if (q->progress) *q->progress += len;
        return len;
    }
    if (q->body.len + len > q->max) return q->too_big = true, 0;
    rl_strbuf_append_n(&q->body, p, len);
    return len;
}

/* curl calls this about once a second: a registry that sends nothing for
 * stall_secs (one that promised more than it sends, or went silent) is
 * given up on, to be retried. */
static int on_progress(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    req_t *q = ((cb_t *)data)->q;
    struct timespec t;
    now(&t);
    long ms = (t.tv_sec - q->last.tv_sec) * 1000L + (t.tv_nsec - q->last.tv_nsec) / 1000000L;
    if (ms < q->stall_secs * 1000L) return 0;
    q->stalled = true;
    return 1;
}

static CURLcode perform(rl_registry_t *r, const char *url, req_t *q, const char *auth)
{
    CURL *c = curl_easy_init();
    if (!c) abort();
    struct curl_slist *h = NULL;
    if (q->accept) h = curl_slist_append(h, q->accept);
    if (auth) h = curl_slist_append(h, auth);
    cb_t cb = {q, c};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, q);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &cb);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)r->stall_secs);
    q->stall_secs = r->stall_secs;
    now(&q->last);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cb);
    /* A trickle (under 1 kB/s for 30 s) counts as a stall too. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "rl/" RL_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (r->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &q->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc;
}

static bool transient_curl(CURLcode rc)
{
    return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
           rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE ||
           rc == CURLE_GOT_NOTHING || rc == CURLE_COULDNT_RESOLVE_HOST;
}

static bool transient_status(long s)
{
    return s == 408 || s == 429 || s >= 500;
}

static void backoff(int attempt)
{
    struct timespec ts = {0, 100000000L};
    for (int i = 0; i < attempt && ts.tv_sec < 4; i++) {
        ts.tv_nsec *= 2;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec += 1, ts.tv_nsec -= 1000000000L;
    }
    nanosleep(&ts, NULL);
}

static char *url_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    char *out = xstrdup(e ? e : "");
    curl_free(e);
    return out;
}

/* Bearer: ask the realm for a token (with the user's credentials if any). */
static int fetch_token(rl_registry_t *r, const rl_challenge_t *ch, rl_error_t *err)
{
    rl_autofree char *scope = ch->scope ? url_escape(ch->scope) : NULL;
    rl_autofree char *def = NULL;
    if (!scope) {
        rl_autofree char *raw = xasprintf("repository:%s:pull", r->repo);
        def = url_escape(raw);
    }
    rl_autofree char *service = ch->service ? url_escape(ch->service) : NULL;
    rl_autofree char *url =
        xasprintf("%s%sservice=%s&scope=%s", ch->realm, strchr(ch->realm, '?') ? "&" : "?",
                  service ? service : "", scope ? scope : def);
    rl_autofree char *auth = r->basic ? xasprintf("Authorization: Basic %s", r->basic) : NULL;
    req_t q = {.max = 1 << 20, .fd = -1};
    CURLcode rc = perform(r, url, &q, auth);
    int ret = 0;
    if (rc != CURLE_OK)
        ret = rl_error_set(err, 0, "token server '%s': %s", ch->realm, curl_easy_strerror(rc));
    else if (q.status == 401 || q.status == 403)
        ret = rl_error_set(
            err, 0, "%s: access denied by the token server (log in with credentials in auth.json)",
            r->host);
    else if (q.status != 200)
        ret = rl_error_set(err, 0, "token server '%s': HTTP %ld", ch->realm, q.status);
    rl_autojson json_object *j =
        ret == 0 ? rl_json_parse(rl_strbuf_str(&q.body), q.body.len, "token response", err) : NULL;
    const char *tok = NULL;
    if (ret == 0 && (!j || (rl_json_str(j, "", "token", false, &tok, err) < 0) ||
                     (!tok && rl_json_str(j, "", "access_token", false, &tok, err) < 0) || !tok))
        ret = rl_error_is_set(err)
                  ? -1
                  : rl_error_set(err, 0, "token server '%s': no token in its answer", ch->realm);
    if (ret == 0) free(r->token), r->token = xstrdup(tok);
    req_reset(&q);
    return ret;
}

static int authenticate(rl_registry_t *r, const char *header, rl_error_t *err)
{
    rl_challenge_t ch;
    if (!header)
        return rl_error_set(err, 0, "%s: authentication required but no challenge given", r->host);
    if (rl_challenge_parse(header, &ch, err) < 0) return -1;
    int ret = 0;
    if (!strcmp(ch.scheme, "bearer"))
        ret = fetch_token(r, &ch, err);
    else if (strcmp(ch.scheme, "basic") || !r->basic)
        ret = rl_error_set(err, 0, "%s: authentication required: add credentials to auth.json",
                           r->host);
    rl_challenge_clear(&ch);
    return ret;
}

static char *auth_header(const rl_registry_t *r)
{
    if (r->token) return xasprintf("Authorization: Bearer %s", r->token);
    if (r->basic) return xasprintf("Authorization: Basic %s", r->basic);
    return NULL;
}

/* GET path with auth, http fallback for insecure registries, and (when
 * retry) backoff on transient failures. 0: a final answer is in q (status
 * may be any); 1: transient failure after all attempts; -1: err. */
static int request(rl_registry_t *r, const char *path, req_t *q, bool retry, rl_error_t *err)
{
    bool authed = false;
    for (int attempt = 0;; attempt++) {
        req_reset(q);
        rl_autofree char *url = xasprintf("%s://%s/v2/%s", r->scheme, r->host, path);
        rl_autofree char *auth = auth_header(r);
        CURLcode rc = perform(r, url, q, auth);
        if (q->stalled) rc = CURLE_OPERATION_TIMEDOUT;
        if (rc != CURLE_OK && r->insecure && !strcmp(r->scheme, "https") && !q->write_failed &&
            (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_COULDNT_CONNECT ||
             rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR)) {
            free(r->scheme), r->scheme = xstrdup("http"); /* an insecure registry on plain http */
            attempt--;
            continue;
        }
        if (q->write_failed)
            return rl_error_set(err, 0, "%s: writing the download failed", r->host);
        if (q->over) return 0; /* the caller names the blob (size_check) */
        if (q->too_big)
            return rl_error_set(err, 0, "%s/%s: answer larger than %zu bytes", r->host, path,
                                q->max);
        bool transient = rc != CURLE_OK ? transient_curl(rc) : transient_status(q->status);
        if (rc != CURLE_OK && !transient)
            return rl_error_set(err, 0, "%s: %s", r->host, curl_easy_strerror(rc));
        if (!transient && q->status == 401 && !authed) {
            if (authenticate(r, q->www_auth, err) < 0) return -1;
            authed = true;
            attempt--;
            continue;
        }
        if (!transient) return 0;
        rl_debug("%s: attempt %d: %s", url, attempt + 1,
                 rc != CURLE_OK ? curl_easy_strerror(rc) : "server error");
        if (!retry || attempt + 1 >= r->retries) {
            if (rc == CURLE_OPERATION_TIMEDOUT)
                rl_error_set(err, 0, "%s/%s: the transfer stalled (%s for %d s)", r->host, path,
                             q->stalled ? "no data" : "under 1 kB/s",
                             q->stalled ? q->stall_secs : 30);
            else if (rc != CURLE_OK)
                rl_error_set(err, 0, "%s: %s", r->host, curl_easy_strerror(rc));
            else
                rl_error_set(err, 0, "%s: HTTP %ld", r->host, q->status);
            return 1;
        }
        backoff(attempt);
    }
}

static int status_error(const rl_registry_t *r, const char *what, long status, rl_error_t *err)
{
    if (status == 404) return rl_error_set(err, 0, "%s/%s: %s not found", r->host, r->repo, what);
    if (status == 401 || status == 403)
        return rl_error_set(err, 0,
                            "%s/%s: access denied to %s (check your credentials in auth.json)",
                            r->host, r->repo, what);
    return rl_error_set(err, 0, "%s/%s: %s: HTTP %ld", r->host, r->repo, what, status);
}

/* A body whose length is not its descriptor's size is refused as a digest
 * mismatch is: the registry lied about what it sends. */
static int size_check(const req_t *q, const char *what, rl_error_t *err)
{
    if (!q->sized || (!q->over && q->got == q->expect)) return 0;
    if (q->over)
        return rl_error_set(err, 0,
                            "%s: the registry sends more than the %llu bytes its descriptor "
                            "gives: refused, nothing stored",
                            what, (unsigned long long)q->expect);
    return rl_error_set(err, 0,
                        "%s: %llu bytes where its descriptor gives %llu: refused, nothing stored",
                        what, (unsigned long long)q->got, (unsigned long long)q->expect);
}

int rl_registry_manifest(rl_registry_t *r, const char *ref, int64_t size, char **body, size_t *len,
                         char **media_type, char **digest, rl_error_t *err)
{
    rl_autofree char *path = xasprintf("%s/manifests/%s", r->repo, ref);
    rl_autofree char *what = xasprintf("manifest %s", ref);
    req_t q = {.accept = MANIFEST_ACCEPT,
               .max = RL_MANIFEST_MAX,
               .fd = -1,
               .sized = size >= 0,
               .expect = (uint64_t)size};
    if (size > RL_MANIFEST_MAX)
        return rl_error_set(err, 0, "%s: its descriptor gives %llu bytes, more than %d", what,
                            (long long)size, RL_MANIFEST_MAX);
    int rc = request(r, path, &q, true, err);
    if (rc == 0 && q.status != 200) rc = status_error(r, "manifest", q.status, err);
    if (rc == 0) rc = size_check(&q, what, err);
    char d[RL_DIGEST_LEN + 1];
    if (rc == 0) {
        if (rl_sha256_data(q.body.buf ? q.body.buf : "", q.body.len, d, err) < 0)
            rc = -1;
        else if (!strncmp(ref, "sha256:", 7) && strcmp(ref, d))
            rc = rl_error_set(err, 0, "manifest %s: digest mismatch (got %s)", ref, d);
        else if (q.docker_digest && !strncmp(q.docker_digest, "sha256:", 7) &&
                 strcmp(q.docker_digest, d))
            rc = rl_error_set(err, 0, "manifest: digest mismatch (registry says %s, got %s)",
                              q.docker_digest, d);
    }
    if (rc == 0) {
        *len = q.body.len;
        *body = rl_strbuf_steal(&q.body);
        *media_type = q.content_type ? xstrdup(q.content_type) : NULL;
        if (*media_type) (*media_type)[strcspn(*media_type, ";")] = 0;
        *digest = xstrdup(d);
    }
    req_reset(&q);
    return rc == 0 ? 0 : -1;
}

int rl_registry_blob_mem(rl_registry_t *r, const char *digest, int64_t size, size_t max,
                         char **body, size_t *len, rl_error_t *err)
{
    rl_autofree char *path = xasprintf("%s/blobs/%s", r->repo, digest);
    rl_autofree char *what = xasprintf("blob %s", digest);
    if (size > (int64_t)max)
        return rl_error_set(err, 0, "%s: its descriptor gives %llu bytes, more than %zu", what,
                            (long long)size, max);
    req_t q = {.max = max, .fd = -1, .sized = size >= 0, .expect = (uint64_t)size};
    int rc = request(r, path, &q, true, err);
    if (rc == 0 && q.status != 200) rc = status_error(r, digest, q.status, err);
    if (rc == 0) rc = size_check(&q, what, err);
    char d[RL_DIGEST_LEN + 1];
    if (rc == 0) {
        if (rl_sha256_data(q.body.buf ? q.body.buf : "", q.body.len, d, err) < 0)
            rc = -1;
        else if (strcmp(d, digest))
            rc = rl_error_set(err, 0, "blob %s: digest mismatch (got %s)", digest, d);
    }
    if (rc == 0) {
        *len = q.body.len;
        *body = rl_strbuf_steal(&q.body);
    }
    req_reset(&q);
    return rc == 0 ? 0 : -1;
}

int rl_registry_blob_fd(rl_registry_t *r, const char *digest, int64_t size, int fd,
                        volatile uint64_t *progress, rl_error_t *err)
{
    rl_sha256_t *hash = rl_sha256_new(err);
    if (!hash) return -1;
    rl_autofree char *path = xasprintf("%s/blobs/%s", r->repo, digest);
    rl_autofree char *what = xasprintf("blob %s", digest);
    req_t q = {.max = 1 << 16,
               .fd = fd,
               .sized = size >= 0,
               .expect = (uint64_t)size,
               .progress = progress,
               .hash = hash};
    int rc = request(r, path, &q, false, err);
    if (rc == 0 && transient_status(q.status))
        rc = 1;
    else if (rc == 0 && q.status != 200)
        rc = status_error(r, digest, q.status, err);
    if (rc == 0 && size_check(&q, what, err) < 0) rc = -1;
    char got[RL_DIGEST_LEN + 1];
    rl_sha256_final(q.hash, got);
    /* A whole download with the wrong bytes: say so, whatever the extractor thought. */
    if (rc == 0 && strcmp(got, digest))
        rc = rl_error_set(err, 0, "blob %s: digest mismatch (got %s): nothing stored", digest, got);
    req_reset(&q);
    return rc;
}
