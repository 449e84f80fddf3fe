/* SPDX-License-Identifier: Apache-2.0 */
#include "seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pkg/util/cleanup.h"
#include "pkg/util/dl.h"
#include "pkg/util/fs.h"
#include "pkg/util/json.h"
#include "pkg/util/log.h"
#include "pkg/util/xalloc.h"

#define MAX_ARGS 6

/* libseccomp only compiles filters, and compiled filters are cached
 * (seccomp_cache.c): most runs never need it loaded. */
// clang-format off
#define SECCOMP_SYMS(X)                                                        \
    X(seccomp_arch_add) X(seccomp_arch_resolve_name) X(seccomp_attr_set)       \
    X(seccomp_export_bpf) X(seccomp_init) X(seccomp_release)                   \
    X(seccomp_rule_add_array) X(seccomp_syscall_resolve_name)
// clang-format on
RL_DL_TABLE(libseccomp, SECCOMP_SYMS, "libseccomp.so.2", "libseccomp2")
#define seccomp_arch_add             libseccomp.seccomp_arch_add
#define seccomp_arch_resolve_name    libseccomp.seccomp_arch_resolve_name
#define seccomp_attr_set             libseccomp.seccomp_attr_set
#define seccomp_export_bpf           libseccomp.seccomp_export_bpf
#define seccomp_init                 libseccomp.seccomp_init
#define seccomp_release              libseccomp.seccomp_release
#define seccomp_rule_add_array       libseccomp.seccomp_rule_add_array
#define seccomp_syscall_resolve_name libseccomp.seccomp_syscall_resolve_name

/* The spec's names the parser takes: these tables are also what
 * `rl oci features` says (rl_seccomp_names). */
static const struct {
    const char *name;
    uint32_t action; /* with the errno in the low 16 bits for ERRNO and TRACE */
    bool errno_ret, notify;
} actions[] = {
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false, false},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true, false},
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false, false},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false, false},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false, false},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG, false, false},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false, true},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true, false},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false, false},
};

static const struct {
    const char *name;
    enum scmp_compare op;
} ops[] = {{"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE},
           {"SCMP_CMP_GT", SCMP_CMP_GT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
           {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
           {"SCMP_CMP_NE", SCMP_CMP_NE}};

static const struct {
    const char *name;
    unsigned int flag; /* 0: taken, nothing to do (one thread: TSYNC) */
} filter_flags[] = {
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_TSYNC", 0},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1U << 5},
};

/* Those said supported; any other libseccomp resolves is taken too. */
static const char *const archs[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",   "SCMP_ARCH_PPC64LE",
                                    "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390X", "SCMP_ARCH_X32",
                                    "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int parse_action(const char *name, uint32_t errno_ret, bool has_errno, uint32_t *out,
                        bool *notify)
{
    uint32_t e = has_errno ? errno_ret : EPERM;
    for (size_t i = 0; i < COUNT(actions); i++) {
        if (strcmp(actions[i].name, name)) continue;
        *out = actions[i].action | (actions[i].errno_ret ? (e & 0xffff) : 0);
        if (actions[i].notify) *notify = true;
        return 0;
    }
    return -1;
}

static int parse_op(const char *name, enum scmp_compare *op)
{
    for (size_t i = 0; i < COUNT(ops); i++)
        if (!strcmp(ops[i].name, name)) return *op = ops[i].op, 0;
    return -1;
}

static int parse_flag(const char *name, unsigned int *flags)
{
    for (size_t i = 0; i < COUNT(filter_flags); i++)
        if (!strcmp(filter_flags[i].name, name)) return *flags |= filter_flags[i].flag, 0;
    return -1;
}

char **rl_seccomp_names(rl_seccomp_names_t which)
{
    size_t n = which == RL_SECCOMP_ACTIONS     ? COUNT(actions)
               : which == RL_SECCOMP_OPERATORS ? COUNT(ops)
               : which == RL_SECCOMP_FLAGS     ? COUNT(filter_flags)
                                               : COUNT(archs);
    char **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = xstrdup(which == RL_SECCOMP_ACTIONS     ? actions[i].name
                       : which == RL_SECCOMP_OPERATORS ? ops[i].name
                       : which == RL_SECCOMP_FLAGS     ? filter_flags[i].name
                                                       : archs[i]);
    return v;
}

/* "SCMP_ARCH_X86_64" → libseccomp's "x86_64". */
static uint32_t parse_arch(const char *name)
{
    if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name) > 40) return 0;
    char low[48];
    size_t i;
    for (i = 0; name[10 + i]; i++)
        low[i] = (char)tolower((unsigned char)name[10 + i]);
    low[i] = '\0';
    return seccomp_arch_resolve_name(low);
}

static int get_errno_ret(json_object *o, const char *path, const char *key, uint32_t *out,
                         bool *has, rl_error_t *err)
{
    int64_t v;
    int r = rl_json_i64(o, path, key, 0, 4095, &v, err);
    if (r < 0) return -1;
    *has = r > 0;
    *out = (uint32_t)v;
    return 0;
}

static int parse_args(json_object *rule, const char *path, struct scmp_arg_cmp *args, size_t *n,
                      rl_error_t *err)
{
    json_object *arr;
    *n = 0;
    int r = rl_json_get(rule, path, "args", json_type_array, false, &arr, err);
    if (r <= 0) return r;
    size_t len = json_object_array_length(arr);
    rl_autofree char *ap = rl_json_path_key(path, "args");
    if (len > MAX_ARGS) return rl_error_set(err, 0, "%s: more than %d conditions", ap, MAX_ARGS);
    for (size_t i = 0; i < len; i++) {
        json_object *a = json_object_array_get_idx(arr, i);
        rl_autofree char *p = rl_json_path_idx(ap, i);
        int64_t idx = -1;
        uint64_t v = 0, v2 = 0;
        const char *op;
        if (rl_json_expect(a, p, json_type_object, err) < 0 ||
            rl_json_i64(a, p, "index", 0, MAX_ARGS - 1, &idx, err) < 0 ||
            rl_json_u64(a, p, "value", &v, err) < 0 ||
            rl_json_u64(a, p, "valueTwo", &v2, err) < 0 ||
            rl_json_str(a, p, "op", true, &op, err) < 0)
            return -1;
        if (idx < 0) return rl_error_set(err, 0, "%s.index: required but missing", p);
        enum scmp_compare cmp;
        if (parse_op(op, &cmp) < 0)
            return rl_error_set(err, 0, "%s.op: unknown operator '%s'", p, op);
        args[i] =
            (struct scmp_arg_cmp){.arg = (unsigned)idx, .op = cmp, .datum_a = v, .datum_b = v2};
    }
    *n = len;
    return 0;
}

static bool same_index_twice(const struct scmp_arg_cmp *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (args[i].arg == args[j].arg) return true;
    return false;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, uint32_t dflt, const char *name,
                    const struct scmp_arg_cmp *args, size_t n, const char *path, rl_error_t *err)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
        rl_debug("%s: syscall '%s' unknown to libseccomp, skipped", path, name);
        return 0;
    }
    if (action == dflt) return 0; /* libseccomp refuses rules equal to the default */
    int r;
    if (!same_index_twice(args, n)) {
        r = seccomp_rule_add_array(ctx, action, nr, (unsigned)n, args);
    } else {
        /* Conditions on the same argument are alternatives: one rule each. */
        r = 0;
        for (size_t i = 0; i < n && r == 0; i++)
            r = seccomp_rule_add_array(ctx, action, nr, 1, &args[i]);
    }
    if (r < 0) return rl_error_set(err, -r, "%s: add rule for '%s'", path, name);
    return 0;
}

static int parse_rule(scmp_filter_ctx ctx, json_object *rule, const char *path, uint32_t dflt,
                      rl_seccomp_t *out, rl_error_t *err)
{
    rl_autostrv char **names = NULL;
    const char *act;
    uint32_t eret = 0, action;
    bool has_e = false;
    struct scmp_arg_cmp args[MAX_ARGS];
    size_t nargs;
    if (rl_json_expect(rule, path, json_type_object, err) < 0 ||
        rl_json_strv(rule, path, "names", true, &names, err) < 0 ||
        rl_json_str(rule, path, "action", true, &act, err) < 0 ||
        get_errno_ret(rule, path, "errnoRet", &eret, &has_e, err) < 0 ||
        parse_args(rule, path, args, &nargs, err) < 0)
        return -1;
    if (parse_action(act, eret, has_e, &action, &out->notify) < 0)
        return rl_error_set(err, 0, "%s.action: unknown action '%s'", path, act);
    for (size_t i = 0; names[i]; i++)
        if (add_rule(ctx, action, dflt, names[i], args, nargs, path, err) < 0) return -1;
    return 0;
}

static int parse_header(scmp_filter_ctx ctx, json_object *obj, const char *path, rl_seccomp_t *out,
                        rl_error_t *err)
{
    rl_autostrv char **archs = NULL, **flags = NULL;
    const char *lp = NULL, *lm = NULL;
    if (rl_json_strv(obj, path, "architectures", false, &archs, err) < 0 ||
        rl_json_strv(obj, path, "flags", false, &flags, err) < 0 ||
        rl_json_str(obj, path, "listenerPath", false, &lp, err) < 0 ||
        rl_json_str(obj, path, "listenerMetadata", false, &lm, err) < 0)
        return -1;
    for (size_t i = 0; archs && archs[i]; i++) {
        uint32_t a = parse_arch(archs[i]);
        if (!a)
            return rl_error_set(err, 0, "%s.architectures[%zu]: unknown architecture '%s'", path, i,
                                archs[i]);
        int r = seccomp_arch_add(ctx, a);
        if (r < 0 && r != -EEXIST)
            return rl_error_set(err, -r, "%s: add architecture '%s'", path, archs[i]);
    }
    for (size_t i = 0; flags && flags[i]; i++)
        if (parse_flag(flags[i], &out->flags) < 0)
            return rl_error_set(err, 0, "%s.flags[%zu]: unknown flag '%s'", path, i, flags[i]);
    out->listener_path = lp && *lp ? xstrdup(lp) : NULL;
    out->listener_metadata = lm ? xstrdup(lm) : NULL;
    return 0;
}

static int export_bpf(scmp_filter_ctx ctx, rl_seccomp_t *out, rl_error_t *err)
{
    rl_autoclose int fd = memfd_create("rl-seccomp", MFD_CLOEXEC);
    if (fd < 0) return rl_error_set(err, errno, "memfd_create");
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0) return rl_error_set(err, -r, "export seccomp filter");
    if (lseek(fd, 0, SEEK_SET) < 0) return rl_error_set(err, errno, "lseek");
    char *buf;
    size_t len;
    if (rl_fs_read_fd(fd, "seccomp filter", 16 << 20, &buf, &len, err) < 0) return -1;
    out->prog = (struct sock_filter *)buf;
    out->len = len / sizeof(struct sock_filter);
    if (out->len == 0 || out->len > 65535) return rl_error_set(err, 0, "seccomp filter too large");
    return 0;
}

int rl_seccomp_compile(json_object *obj, const char *path, rl_seccomp_t *out, rl_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (libseccomp_load(err) < 0) return -1;
    const char *dname;
    uint32_t deret = 0, dflt;
    bool has_e = false;
    if (rl_json_str(obj, path, "defaultAction", true, &dname, err) < 0 ||
        get_errno_ret(obj, path, "defaultErrnoRet", &deret, &has_e, err) < 0)
        return -1;
    if (parse_action(dname, deret, has_e, &dflt, &out->notify) < 0)
        return rl_error_set(err, 0, "%s.defaultAction: unknown action '%s'", path, dname);
    scmp_filter_ctx ctx = seccomp_init(dflt);
    if (!ctx) return rl_error_set(err, 0, "%s: libseccomp cannot use this default action", path);
    /* We set no_new_privs ourselves, as the spec says; libseccomp must not. */
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    /* A binary tree of syscall numbers instead of a chain: the kernel runs
     * the filter for every syscall number when it is loaded (its action
     * cache) and on every syscall after; a chain of ~400 compares made the
     * load alone take most of a millisecond. */
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    json_object *rules = NULL;
    int r = parse_header(ctx, obj, path, out, err);
    if (r == 0)
        r = rl_json_get(obj, path, "syscalls", json_type_array, false, &rules, err) < 0 ? -1 : 0;
    rl_autofree char *sp = rl_json_path_key(path, "syscalls");
    for (size_t i = 0; r == 0 && rules && i < json_object_array_length(rules); i++) {
        rl_autofree char *p = rl_json_path_idx(sp, i);
        r = parse_rule(ctx, json_object_array_get_idx(rules, i), p, dflt, out, err);
    }
    if (r == 0 && out->notify && !out->listener_path)
        r = rl_error_set(err, 0, "%s: SCMP_ACT_NOTIFY needs listenerPath", path);
    if (r == 0) r = export_bpf(ctx, out, err);
    seccomp_release(ctx);
    if (r < 0) rl_seccomp_clear(out);
    return r;
}

int rl_seccomp_load(const rl_seccomp_t *sc, rl_error_t *err)
{
    struct sock_fprog prog = {.len = (unsigned short)sc->len, .filter = sc->prog};
    unsigned int flags = sc->flags | (sc->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
    if (r < 0) return rl_error_set(err, errno, "load seccomp filter");
    return (int)r;
}

void rl_seccomp_clear(rl_seccomp_t *sc)
{
    free(sc->prog);
    free(sc->listener_path);
    free(sc->listener_metadata);
    memset(sc, 0, sizeof *sc);
}
