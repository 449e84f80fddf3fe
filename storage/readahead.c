/* SPDX-License-Identifier: Apache-2.0 */
/* A decompressing producer thread (see readahead.h). */
#include "readahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/xalloc.h"

#define SLOTS     4
#define SLOT_SIZE (256 * 1024)

struct rl_readahead {
    rl_decomp_t *d;
    pthread_t thread;
    bool joined;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed; /* a slot was filled / given back */
    unsigned char *buf[SLOTS];
    size_t len[SLOTS];
    unsigned head, tail; /* slots filled so far / taken so far */
    bool taken;          /* the reader holds slot (tail - 1) % SLOTS */
    bool stop, ended;    /* reader gone; producer done */
    int rc;              /* producer's result once ended: 0 or -1 */
    rl_error_t err;      /* producer's error */
    char blob[RL_DIGEST_LEN + 1], diff[RL_DIGEST_LEN + 1];
};

/* Room for one more chunk, or the reader gone. */
static bool wait_room(rl_readahead_t *r)
{
    pthread_mutex_lock(&r->mu);
    while (!r->stop && r->head - r->tail + (r->taken ? 1 : 0) >= SLOTS)
        pthread_cond_wait(&r->freed, &r->mu);
    bool go = !r->stop;
    pthread_mutex_unlock(&r->mu);
    return go;
}

static void publish(rl_readahead_t *r, size_t n, bool end, int rc)
{
    pthread_mutex_lock(&r->mu);
    if (end) {
        r->ended = true, r->rc = rc;
    } else {
        r->len[r->head % SLOTS] = n;
        r->head++;
    }
    pthread_cond_signal(&r->filled);
    pthread_mutex_unlock(&r->mu);
}

/* The producer: chunks until the end of the tar stream, then the rest of
 * the blob and the digests (rl_decomp_finish). */
static void *produce(void *arg)
{
    rl_readahead_t *r = arg;
    for (;;) {
        if (!wait_room(r)) return NULL;
        /* The slot at head is free and only ours until published. */
        ssize_t n = rl_decomp_read(r->d, r->buf[r->head % SLOTS], SLOT_SIZE, &r->err);
        if (n > 0) {
            publish(r, (size_t)n, false, 0);
            continue;
        }
        int rc = n < 0 ? -1 : rl_decomp_finish(r->d, r->blob, r->diff, &r->err);
        publish(r, 0, true, rc);
        return NULL;
    }
}

rl_readahead_t *rl_readahead_start(rl_decomp_t *d, rl_error_t *err)
{
    rl_readahead_t *r = xcalloc(1, sizeof *r);
    r->d = d;
    r->err = (rl_error_t)RL_ERROR_INIT;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->filled, NULL);
    pthread_cond_init(&r->freed, NULL);
    for (size_t i = 0; i < SLOTS; i++)
        r->buf[i] = xmalloc(SLOT_SIZE);
    if (pthread_create(&r->thread, NULL, produce, r) != 0) {
        for (size_t i = 0; i < SLOTS; i++)
            free(r->buf[i]);
        free(r);
        rl_error_set(err, 0, "start the decompressing thread");
        return NULL;
    }
    return r;
}

/* Give back the slot the reader holds. Called with mu held. */
static void give_back(rl_readahead_t *r)
{
    if (!r->taken) return;
    r->taken = false;
    pthread_cond_signal(&r->freed);
}

ssize_t rl_readahead_next(rl_readahead_t *r, const void **buf, rl_error_t *err)
{
    pthread_mutex_lock(&r->mu);
    give_back(r);
    while (r->tail == r->head && !r->ended)
        pthread_cond_wait(&r->filled, &r->mu);
    ssize_t n = 0;
    if (r->tail != r->head) {
        unsigned i = r->tail++ % SLOTS;
        r->taken = true;
        *buf = r->buf[i];
        n = (ssize_t)r->len[i];
    } else if (r->rc < 0) {
        /* the producer's error, each time it is asked for */
        if (!rl_error_is_set(err))
            *err = (rl_error_t){r->err.code, xstrdup(r->err.msg ? r->err.msg : "layer: read error"),
                                r->err.exit, r->err.kind};
        n = -1;
    }
    pthread_mutex_unlock(&r->mu);
    return n;
}

int rl_readahead_finish(rl_readahead_t *r, char blob[RL_DIGEST_LEN + 1],
                        char diff[RL_DIGEST_LEN + 1], rl_error_t *err)
{
    const void *buf;
    ssize_t n;
    while ((n = rl_readahead_next(r, &buf, err)) > 0) {
    }
    if (n < 0) return -1;
    pthread_join(r->thread, NULL);
    r->joined = true;
    memcpy(blob, r->blob, sizeof r->blob);
    memcpy(diff, r->diff, sizeof r->diff);
    return 0;
}

void rl_readahead_stop(rl_readahead_t *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->freed);
    pthread_mutex_unlock(&r->mu);
    if (!r->joined) pthread_join(r->thread, NULL);
    rl_error_clear(&r->err);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->filled);
    pthread_cond_destroy(&r->freed);
    for (size_t i = 0; i < SLOTS; i++)
        free(r->buf[i]);
    free(r);
}
