/* SPDX-License-Identifier: Apache-2.0 */
/* Human-readable sizes and times as podman prints them (go-units). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pkg/util/xalloc.h"

char *rl_cli_human_size(uint64_t bytes)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1000 && u < 5)
        v /= 1000, u++;
    return xasprintf("%.3g %s", v, units[u]);
}

static char *ago(double n, const char *unit)
{
    int k = (int)n;
    if (k <= 1) return xasprintf("%s %s ago", !strcmp(unit, "hour") ? "An" : "A", unit);
    return xasprintf("%d %ss ago", k, unit);
}

char *rl_cli_human_age(int64_t then)
{
    double d = difftime(time(NULL), (time_t)then);
    if (d < 1) return xstrdup("Less than a second ago");
    if (d < 2) return xstrdup("1 second ago");
    if (d < 60) return xasprintf("%d seconds ago", (int)d);
    if (d < 3600) return (d < 120) ? xstrdup("About a minute ago") : ago(d / 60, "minute");
    if (d < 86400 * 2) return (d < 7200) ? xstrdup("About an hour ago") : ago(d / 3600, "hour");
    if (d < 86400 * 7 * 2) return ago(d / 86400, "day");
    if (d < 86400 * 30 * 2) return ago(d / (86400 * 7), "week");
    if (d < 86400 * 365 * 2) return ago(d / (86400 * 30), "month");
    return ago(d / (86400 * 365), "year");
}

int64_t rl_cli_parse_time(const char *s)
{
    if (!s) return 0;
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) return 0;
    return (int64_t)timegm(&tm);
}

bool rl_cli_isatty_out(void)
{
    return isatty(STDOUT_FILENO);
}
