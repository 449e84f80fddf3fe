/* SPDX-License-Identifier: Apache-2.0 */
/* Container logs in the k8s-file format podman writes: one record per line,
 * "<RFC 3339 time with ns> <stdout|stderr> <F|P> <text>", P marking a
 * partial line (the output stopped without a newline). */
#ifndef RL_MONITOR_LOG_H
#define RL_MONITOR_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pkg/util/error.h"

/* --log-opt max-size=SIZE (k, m, g suffixes); the driver is the record's
 * (storage/ctr_policy.h). */
int rl_mon_log_opt_parse(const char *s, int64_t *max_size, rl_error_t *err);

typedef struct rl_mon_log {
    int fd;
    char *path;
    int64_t max_size; /* 0: unlimited; else rotate to PATH.1 past this */
    int64_t size;
    /* the part of a stamp that changes at most hourly (log.c's stamp) */
    struct {
        time_t start;  /* of the local hour cached, -1 for none */
        char head[24]; /* "YYYY-MM-DDTHH" */
        char zone[8];  /* "+HH:MM" */
    } hour;
} rl_mon_log_t;

int rl_mon_log_open(const char *path, int64_t max_size, rl_mon_log_t *log, rl_error_t *err);
/* A chunk of a stream: every complete line an F record, a trailing
 * fragment a P record. */
void rl_mon_log_write(rl_mon_log_t *log, const char *stream, const char *buf, size_t n);
void rl_mon_log_close(rl_mon_log_t *log);

/* One record, parsed in place (fields point into the line). */
typedef struct rl_mon_log_rec {
    const char *time; /* as written */
    size_t time_len;
    struct timespec ts;
    bool is_stderr;
    bool partial;
    const char *text;
    size_t text_len;
} rl_mon_log_rec_t;

/* line without its newline. -1 when it is not a record. */
int rl_mon_log_parse_line(const char *line, size_t len, rl_mon_log_rec_t *rec);
/* "2024-01-02T03:04:05.123456789+01:00" (fraction and zone optional, Z
 * allowed), or a duration before now: "10s", "5m", "2h", "1h30m". */
int rl_mon_log_parse_time(const char *s, struct timespec now, struct timespec *out,
                          rl_error_t *err);

#endif
