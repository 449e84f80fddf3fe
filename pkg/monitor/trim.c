#include "trim.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

void rl_mon_trim(void)
{
    malloc_trim(0);
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long start, end, inode;
        char perms[5];
        /* start-end perms offset dev inode path */
        if (sscanf(line, "%lx-%lx %4s %*s %*s %lu", &start, &end, perms, &inode) != 4) continue;
        /* executable, never writable, from a file: nothing of ours is in
         * those pages (text relocations would make them writable first,
         * and this binary and Debian's libraries have none) */
        if (strcmp(perms, "r-xp") || inode == 0) continue;
        madvise((void *)start, end - start, MADV_DONTNEED);
    }
    fclose(f);
}
