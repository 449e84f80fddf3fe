/* SPDX-License-Identifier: Apache-2.0 */
/* User lookup in the image (see passwd.h). The files are untrusted: lines
 * are parsed with bounds, never with the host's NSS. */
#include "passwd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/fs.h"
#include "pkg/util/strbuf.h"

/* The topmost layer's copy of file (etc/passwd); NULL when absent or
 * deleted by a whiteout above. */
static char *read_layered(char *const *layers, const char *file)
{
    for (size_t i = 0; layers && layers[i]; i++) {
        rl_autofree char *p = xasprintf("%s/%s", layers[i], file);
        struct stat st;
        if (lstat(p, &st) < 0) continue;
        if (!S_ISREG(st.st_mode)) return NULL; /* a whiteout or something odd */
        char *text = NULL;
        rl_error_t e = RL_ERROR_INIT;
        if (rl_fs_read_file(p, 4 << 20, &text, NULL, &e) < 0) {
            rl_error_clear(&e);
            return NULL;
        }
        return text;
    }
    return NULL;
}

static bool parse_id(const char *s, uint32_t *out)
{
    if (!*s) return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v > UINT32_MAX - 1 || s[0] == '-') return false;
    *out = (uint32_t)v;
    return true;
}

/* Split a colon-separated line into at most n fields (in place). */
static size_t fields(char *line, char **f, size_t n)
{
    size_t k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < n; p++)
        if (*p == ':') *p = 0, f[k++] = p + 1;
    return k;
}

/* Find name or uid in passwd: fills uid, gid, home. */
static bool lookup_passwd(char *text, const char *who, rl_image_user_t *u, char **name)
{
    uint32_t want;
    bool by_id = parse_id(who, &want);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[7];
        uint32_t uid, gid;
        if (fields(line, f, 7) < 7 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid)) continue;
        if (by_id ? uid != want : strcmp(f[0], who)) continue;
        u->uid = uid, u->gid = gid;
        free(u->home);
        u->home = xstrdup(*f[5] ? f[5] : "/");
        *name = xstrdup(f[0]);
        return true;
    }
    return false;
}

static bool lookup_group(const char *text, const char *who, uint32_t *gid)
{
    if (parse_id(who, gid)) return true;
    rl_autofree char *copy = xstrdup(text ? text : "");
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[4];
        if (fields(line, f, 4) >= 3 && !strcmp(f[0], who) && parse_id(f[2], gid)) return true;
    }
    return false;
}

/* Supplementary groups: every group that lists the user as a member. */
static void member_groups(const char *text, const char *name, rl_image_user_t *u)
{
    if (!text || !name) return;
    rl_autofree char *copy = xstrdup(text);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[4];
        uint32_t gid;
        if (fields(line, f, 4) < 4 || !parse_id(f[2], &gid) || gid == u->gid) continue;
        for (char *m = f[3], *save = NULL, *tok; (tok = strtok_r(m, ",", &save)); m = NULL) {
            if (strcmp(tok, name)) continue;
            u->groups = xrealloc(u->groups, (u->n_groups + 1) * sizeof *u->groups);
            u->groups[u->n_groups++] = gid;
        }
    }
}

int rl_image_user_resolve(char *const *layers, const char *spec, rl_image_user_t *u,
                          rl_error_t *err)
{
    memset(u, 0, sizeof *u);
    rl_autofree char *who = xstrdup(spec && *spec ? spec : "0");
    char *group = strchr(who, ':');
    if (group) *group++ = 0;
    rl_autofree char *passwd = read_layered(layers, "etc/passwd");
    rl_autofree char *groups = read_layered(layers, "etc/group");
    rl_autofree char *name = NULL;
    char empty[1] = "";
    if (!lookup_passwd(passwd ? passwd : empty, who, u, &name)) {
        if (!parse_id(who, &u->uid))
            return rl_error_set(err, 0, "user '%s': no such user in the image's /etc/passwd", who);
        u->gid = 0;
        u->home = xstrdup("/");
    }
    if (group && !lookup_group(groups, group, &u->gid))
        return rl_image_user_clear(u),
               rl_error_set(err, 0, "group '%s': no such group in the image's /etc/group", group);
    if (!group) member_groups(groups, name, u);
    return 0;
}

void rl_image_user_clear(rl_image_user_t *u)
{
    free(u->groups);
    free(u->home);
    memset(u, 0, sizeof *u);
}

/* A copy of the image's file with line appended, unless some line already
 * has field 2 (the id) equal to id. NULL when nothing needs adding. */
static char *with_entry(char *const *layers, const char *file, uint32_t id, const char *line)
{
    rl_autofree char *text = read_layered(layers, file);
    rl_strbuf_t out = RL_STRBUF_INIT;
    for (char *l = text, *next; l && *l; l = next) {
        next = strchr(l, '\n');
        if (next) *next++ = 0;
        rl_autofree char *copy = xstrdup(l);
        char *f[4] = {0};
        uint32_t have;
        if (fields(copy, f, 4) >= 3 && parse_id(f[2], &have) && have == id) {
            rl_strbuf_free(&out);
            return NULL;
        }
        rl_strbuf_appendf(&out, "%s\n", l);
    }
    rl_strbuf_appendf(&out, "%s\n", line);
    return rl_strbuf_steal(&out);
}

char *rl_image_passwd_with(char *const *layers, const char *name, uint32_t uid, uint32_t gid,
                           const char *home)
{
    rl_autofree char *line = xasprintf("%s:*:%u:%u:%s:%s:/bin/sh", name, uid, gid, name, home);
    return with_entry(layers, "etc/passwd", uid, line);
}

char *rl_image_group_with(char *const *layers, const char *name, uint32_t gid)
{
    rl_autofree char *line = xasprintf("%s:x:%u:", name, gid);
    return with_entry(layers, "etc/group", gid, line);
}
