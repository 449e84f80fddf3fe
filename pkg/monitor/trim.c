/* SPDX-License-Identifier: Apache-2.0 */
#include "trim.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* One mapping as /proc/self/smaps describes it. */
typedef struct vma {
    unsigned long start, end, inode;
    char perms[5];
    bool valid;
} vma_t;

/* A read-only private file mapping with no page of its own (Anonymous: 0,
 * so no relocation or other write ever copied one): every page equals the
 * file's, and dropping it loses nothing. The kernel maps back 64 kB of
 * cached neighbours around each page the loop touches (fault-around, which
 * no madvise turns off): the Makefile links the loop's code together
 * (HOT_SRC) so that few such windows come back. */
static bool droppable(const vma_t *v, unsigned long anon_kb)
{
    return v->valid && !anon_kb && v->inode && v->perms[1] != 'w' && v->perms[3] == 'p';
}

#define MAX_VMAS 256

void rl_mon_trim(void)
{
    malloc_trim(0);
    FILE *f = fopen("/proc/self/smaps", "re");
    if (!f) return;
    /* read them all first: dropping libc's pages while stdio and sscanf
     * still run would only fault them straight back */
    static vma_t drop[MAX_VMAS];
    size_t n = 0;
    char line[512];
    vma_t v = {0};
    unsigned long anon;
    while (fgets(line, sizeof line, f) && n < MAX_VMAS) {
        vma_t next = {0};
        /* start-end perms offset dev inode path */
        if (sscanf(line, "%lx-%lx %4s %*s %*s %lu", &next.start, &next.end, next.perms,
                   &next.inode) == 4) {
            next.valid = true;
            v = next;
        } else if (sscanf(line, "Anonymous: %lu kB", &anon) == 1) {
            if (droppable(&v, anon)) drop[n++] = v;
            v.valid = false;
        }
    }
    fclose(f);
    for (size_t i = 0; i < n; i++)
        madvise((void *)drop[i].start, drop[i].end - drop[i].start, MADV_DONTNEED);
}
