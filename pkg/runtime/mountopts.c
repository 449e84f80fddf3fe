/* SPDX-License-Identifier: Apache-2.0 */
#include "mountopts.h"

#include <linux/mount.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "pkg/util/strbuf.h"
#include "pkg/util/xalloc.h"

enum kind { FLAG, CLEAR, PROP, BIND, RBIND, RSET, RCLR, COPYUP, IGNORE, REFUSE };

static const struct {
    const char *name;
    enum kind kind;
    unsigned long value;
} table[] = {
    {"defaults", IGNORE, 0},
    {"ro", FLAG, MS_RDONLY},
    {"rw", CLEAR, MS_RDONLY},
    {"nosuid", FLAG, MS_NOSUID},
    {"suid", CLEAR, MS_NOSUID},
    {"nodev", FLAG, MS_NODEV},
    {"dev", CLEAR, MS_NODEV},
    {"noexec", FLAG, MS_NOEXEC},
    {"exec", CLEAR, MS_NOEXEC},
    {"sync", FLAG, MS_SYNCHRONOUS},
    {"async", CLEAR, MS_SYNCHRONOUS},
    {"dirsync", FLAG, MS_DIRSYNC},
    {"remount", FLAG, MS_REMOUNT},
    {"mand", FLAG, MS_MANDLOCK},
    {"nomand", CLEAR, MS_MANDLOCK},
    {"atime", CLEAR, MS_NOATIME},
    {"noatime", FLAG, MS_NOATIME},
    {"diratime", CLEAR, MS_NODIRATIME},
    {"nodiratime", FLAG, MS_NODIRATIME},
    {"relatime", FLAG, MS_RELATIME},
    {"norelatime", CLEAR, MS_RELATIME},
    {"strictatime", FLAG, MS_STRICTATIME},
    {"nostrictatime", CLEAR, MS_STRICTATIME},
    {"bind", BIND, 0},
    {"rbind", RBIND, 0},
    {"private", PROP, MS_PRIVATE},
    {"rprivate", PROP, MS_PRIVATE | MS_REC},
    {"shared", PROP, MS_SHARED},
    {"rshared", PROP, MS_SHARED | MS_REC},
    {"slave", PROP, MS_SLAVE},
    {"rslave", PROP, MS_SLAVE | MS_REC},
    {"unbindable", PROP, MS_UNBINDABLE},
    {"runbindable", PROP, MS_UNBINDABLE | MS_REC},
    {"rro", RSET, MOUNT_ATTR_RDONLY},
    {"rrw", RCLR, MOUNT_ATTR_RDONLY},
    {"rnosuid", RSET, MOUNT_ATTR_NOSUID},
    {"rsuid", RCLR, MOUNT_ATTR_NOSUID},
    {"rnodev", RSET, MOUNT_ATTR_NODEV},
    {"rdev", RCLR, MOUNT_ATTR_NODEV},
    {"rnoexec", RSET, MOUNT_ATTR_NOEXEC},
    {"rexec", RCLR, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", RSET, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", RCLR, MOUNT_ATTR_NODIRATIME},
    {"tmpcopyup", COPYUP, 0},
    {"notmpcopyup", IGNORE, 0},
    /* Options of other runtimes we do not implement: refuse rather than ignore. */
    {"idmap", REFUSE, 0},
    {"ridmap", REFUSE, 0},
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **rl_mount_opts_names(void)
{
    size_t n = sizeof table / sizeof table[0], k = 0;
    char **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        if (table[i].kind != REFUSE) v[k++] = xstrdup(table[i].name);
    qsort(v, k, sizeof *v, by_name);
    return v;
}

static int apply(rl_mount_opts_t *o, const char *opt, rl_error_t *err)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].name, opt) != 0) continue;
        switch (table[i].kind) {
        case FLAG:
            o->flags |= table[i].value, o->clear &= ~table[i].value;
            break;
        case CLEAR:
            o->clear |= table[i].value, o->flags &= ~table[i].value;
            break;
        case PROP:
            o->propagation = table[i].value;
            break;
        case BIND:
            o->bind = true;
            break;
        case RBIND:
            o->bind = o->recursive = true;
            break;
        case RSET:
            o->rec_attr_set |= table[i].value, o->rec_attr_clr &= ~table[i].value;
            break;
        case RCLR:
            o->rec_attr_clr |= table[i].value, o->rec_attr_set &= ~table[i].value;
            break;
        case COPYUP:
            o->copyup = true;
            break;
        case IGNORE:
            break;
        case REFUSE:
            return rl_error_set(err, 0, "mount option '%s' is not supported", opt);
        }
        return 1;
    }
    return 0;
}

int rl_mount_opts_parse(char *const *options, rl_mount_opts_t *o, rl_error_t *err)
{
    memset(o, 0, sizeof *o);
    rl_strbuf_t data = RL_STRBUF_INIT;
    for (size_t i = 0; options && options[i]; i++) {
        const char *opt = options[i];
        if (!*opt) continue;
        int r = apply(o, opt, err);
        if (r < 0) {
            rl_strbuf_free(&data);
            return -1;
        }
        if (r > 0) continue;
        if (strchr(opt, ',')) {
            rl_strbuf_free(&data);
            return rl_error_set(err, 0, "mount option '%s' contains a comma", opt);
        }
        if (data.len) rl_strbuf_putc(&data, ',');
        rl_strbuf_append(&data, opt);
    }
    o->data = data.len ? rl_strbuf_steal(&data) : NULL;
    rl_strbuf_free(&data);
    return 0;
}

void rl_mount_opts_clear(rl_mount_opts_t *o)
{
    free(o->data);
    o->data = NULL;
}
