#include "subid.h"

#include <pwd.h>
#include <shadow/subid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/xalloc.h"

int rl_subid_ranges(uid_t uid, int gids, rl_subid_range_t **ranges, size_t *n, rl_error_t *err)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    *ranges = NULL;
    *n = 0;
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) != 0 || !res)
        return 0; /* no passwd entry (HPC uid without NSS): no ranges */
    /* libsubid prints its own diagnostics to stderr unless told otherwise. */
    static int initialised;
    if (!initialised) {
        FILE *devnull = fopen("/dev/null", "we");
        subid_init("rl", devnull);
        initialised = 1;
    }
    struct subid_range *r = NULL;
    int count = gids ? subid_get_gid_ranges(pw.pw_name, &r) : subid_get_uid_ranges(pw.pw_name, &r);
    if (count < 0)
        return rl_error_set(err, 0, "look up subordinate %s ranges of '%s'", gids ? "gid" : "uid",
                            pw.pw_name);
    rl_subid_range_t *out = xcalloc((size_t)count + 1, sizeof *out);
    for (int i = 0; i < count; i++) {
        out[i].start = r[i].start;
        out[i].count = r[i].count;
    }
    free(r);
    *ranges = out;
    *n = (size_t)count;
    return 0;
}
