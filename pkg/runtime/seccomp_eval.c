/* SPDX-License-Identifier: Apache-2.0 */
/* A classic-BPF interpreter for rl's own seccomp programs: what would the
 * filter answer to one system call? Used before a call the spec's profile
 * might kill the process for (the exec trampoline's execveat). */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "seccomp.h"

#if defined(__x86_64__)
#define RL_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define RL_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#define RL_AUDIT_ARCH 0
#endif

static int load_word(const struct seccomp_data *d, uint32_t k, uint32_t *out)
{
    if (k % 4 || k + 4 > sizeof *d) return -1;
    memcpy(out, (const char *)d + k, 4);
    return 0;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v, int *bad)
{
    switch (op) {
    case BPF_ADD:
        return a + v;
    case BPF_SUB:
        return a - v;
    case BPF_MUL:
        return a * v;
    case BPF_DIV:
        return v ? a / v : (*bad = 1, 0);
    case BPF_MOD:
        return v ? a % v : (*bad = 1, 0);
    case BPF_OR:
        return a | v;
    case BPF_AND:
        return a & v;
    case BPF_XOR:
        return a ^ v;
    case BPF_LSH:
        return v < 32 ? a << v : 0;
    case BPF_RSH:
        return v < 32 ? a >> v : 0;
    case BPF_NEG:
        return -a;
    default:
        *bad = 1;
        return 0;
    }
}

static int jump(uint16_t op, uint32_t a, uint32_t v, int *bad)
{
    switch (op) {
    case BPF_JEQ:
        return a == v;
    case BPF_JGT:
        return a > v;
    case BPF_JGE:
        return a >= v;
    case BPF_JSET:
        return (a & v) != 0;
    default:
        *bad = 1;
        return 0;
    }
}

int rl_seccomp_eval(const rl_seccomp_t *sc, int nr, const uint64_t args[6], uint32_t *ret)
{
    struct seccomp_data d = {.nr = nr, .arch = RL_AUDIT_ARCH};
    for (int i = 0; i < 6; i++)
        d.args[i] = args[i];
    uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
    int bad = 0;
    for (size_t pc = 0; pc < sc->len && !bad; pc++) {
        const struct sock_filter *f = &sc->prog[pc];
        uint16_t cls = BPF_CLASS(f->code);
        uint32_t src = BPF_SRC(f->code) == BPF_X ? X : f->k;
        if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
            if (load_word(&d, f->k, &A) < 0) return -1;
        } else if (f->code == (BPF_LD | BPF_IMM)) {
            A = f->k;
        } else if (f->code == (BPF_LDX | BPF_IMM)) {
            X = f->k;
        } else if (f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) {
            if (f->k >= BPF_MEMWORDS) return -1;
            *(cls == BPF_LD ? &A : &X) = M[f->k];
        } else if (cls == BPF_ST || cls == BPF_STX) {
            if (f->k >= BPF_MEMWORDS) return -1;
            M[f->k] = cls == BPF_ST ? A : X;
        } else if (cls == BPF_ALU) {
            A = alu(BPF_OP(f->code), A, src, &bad);
        } else if (cls == BPF_JMP && BPF_OP(f->code) == BPF_JA) {
            pc += f->k;
        } else if (cls == BPF_JMP) {
            pc += jump(BPF_OP(f->code), A, src, &bad) ? f->jt : f->jf;
        } else if (cls == BPF_RET) {
            *ret = BPF_RVAL(f->code) == BPF_A ? A : f->k;
            return 0;
        } else if (f->code == (BPF_MISC | BPF_TAX)) {
            X = A;
        } else if (f->code == (BPF_MISC | BPF_TXA)) {
            A = X;
        } else {
            return -1;
        }
    }
    return -1;
}

bool rl_seccomp_returns(const rl_seccomp_t *sc, int nr, const uint64_t args[6])
{
    uint32_t r;
    if (!sc || !sc->prog) return true;
    if (rl_seccomp_eval(sc, nr, args, &r) < 0) return false;
    uint32_t action = r & SECCOMP_RET_ACTION_FULL;
    return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_ERRNO || action == SECCOMP_RET_LOG;
}
