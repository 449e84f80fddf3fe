/* SPDX-License-Identifier: Apache-2.0 */
/* The k8s-file log line parser, the --since/--until time parser, and the
 * monitor's other option parsers (--detach-keys, --restart). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/monitor/detachkeys.h"
#include "pkg/monitor/log.h"
#include "pkg/monitor/restart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_mon_log_rec_t r;
    if (rl_mon_log_parse_line((const char *)data, size, &r) == 0) {
        if (r.text + r.text_len != (const char *)data + size) abort();
    }
    char *s = strndup((const char *)data, size);
    struct timespec now = {1700000000, 0}, out;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_mon_log_parse_time(s, now, &out, &err) < 0) rl_error_clear(&err);
    int64_t max;
    if (rl_mon_log_opt_parse(s, &max, &err) < 0) rl_error_clear(&err);
    /* --detach-keys and --restart come from the same command lines; the
     * matcher never writes past n + RL_DETACH_KEYS_MAX */
    rl_mon_detach_keys_t k;
    if (rl_mon_detach_keys_parse(s, &k, &err) < 0) {
        rl_error_clear(&err);
        rl_mon_detach_keys_parse("ctrl-p,ctrl-q", &k, &err);
    }
    unsigned char *passed = malloc(size + RL_DETACH_KEYS_MAX + 1);
    size_t n;
    rl_mon_detach_keys_feed(&k, data, size, passed, &n);
    if (n > size + RL_DETACH_KEYS_MAX) abort();
    free(passed);
    rl_ctr_restart_t policy;
    if (rl_ctr_restart_parse(s, &policy, &err) < 0) rl_error_clear(&err);
    free(s);
    return 0;
}
