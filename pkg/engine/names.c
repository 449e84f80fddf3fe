/* SPDX-License-Identifier: Apache-2.0 */
#include "names.h"

#include <sys/random.h>

#include "pkg/util/xalloc.h"

static const char *const adjectives[] = {"brave",   "calm",   "clever",  "eager",  "fervent",
                                         "gallant", "happy",  "jolly",   "keen",   "lucid",
                                         "modest",  "nifty",  "quirky",  "serene", "sharp",
                                         "stoic",   "tender", "vibrant", "witty",  "zen"};
static const char *const nouns[] = {
    "babbage", "curie",  "darwin",  "euler",  "fermi",   "gauss",   "hopper", "kepler", "lovelace",
    "meitner", "newton", "noether", "pascal", "ritchie", "shannon", "tesla",  "turing", "wozniak"};

char *rl_engine_random_name(void)
{
    unsigned r[3] = {0};
    if (getrandom(r, sizeof r, 0) < 0) r[0] = r[1] = r[2] = 7;
    return xasprintf("%s_%s%s", adjectives[r[0] % (sizeof adjectives / sizeof *adjectives)],
                     nouns[r[1] % (sizeof nouns / sizeof *nouns)], "");
}
