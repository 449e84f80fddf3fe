/* The k8s-file log line parser and the --since/--until time parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/monitor/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rl_log_rec_t r;
    if (rl_log_parse_line((const char *)data, size, &r) == 0) {
        if (r.text + r.text_len != (const char *)data + size) abort();
    }
    char *s = strndup((const char *)data, size);
    struct timespec now = {1700000000, 0}, out;
    rl_error_t err = RL_ERROR_INIT;
    if (rl_log_parse_time(s, now, &out, &err) < 0) rl_error_clear(&err);
    int64_t max;
    if (rl_log_opt_parse(s, &max, &err) < 0) rl_error_clear(&err);
    free(s);
    return 0;
}
