/* SPDX-License-Identifier: Apache-2.0 */
/* The exec trampoline: a few hundred bytes of freestanding code that rl
 * runs from a sealed memfd as the last step of every container process,
 * and that runs the container's command. rl's own binary is then never the
 * executable of a process in the container, not even for a `#!/proc/self/exe`
 * script (CVE-2019-5736): /proc/self/exe is this sealed copy, which nobody
 * can write, and which refuses to run without rl's arguments.
 *
 * argv[0] is the decimal fd of a pipe to rl, argv[1] the path to run,
 * argv[2..] its argv. On failure, the errno goes down the pipe (4 bytes) and
 * the exit code is 127 or 126; on success the pipe closes with execve.
 * rl comes here with every signal blocked, so that nothing in the container
 * can signal rl's setup; what arrived meanwhile is dropped here, and the
 * command starts with none blocked.
 * Built with -nostdlib -static (Makefile), no libc: nothing but syscalls. */
#define PR_SET_DUMPABLE 4
#define F_SETFD         2
#define FD_CLOEXEC      1
#define ENOENT          2

#if defined(__x86_64__)
#define NR_write          1
#define NR_rt_sigaction   13
#define NR_rt_sigprocmask 14
#define NR_rt_sigpending  127
#define NR_fcntl          72
#define NR_execve         59
#define NR_prctl          157
#define NR_exit_group     231
static long sys4(long n, long a, long b, long c, long d)
{
    register long rax __asm__("rax") = n;
    register long rdi __asm__("rdi") = a;
    register long rsi __asm__("rsi") = b;
    register long rdx __asm__("rdx") = c;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "+r"(rax)
                     : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10)
                     : "rcx", "r11", "memory");
    return rax;
}
__asm__(".text\n.global _start\n_start:\n xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n"
        " call tmain\n hlt\n");
#elif defined(__aarch64__)
#define NR_write          64
#define NR_rt_sigaction   134
#define NR_rt_sigprocmask 135
#define NR_rt_sigpending  136
#define NR_fcntl          25
#define NR_execve         221
#define NR_prctl          167
#define NR_exit_group     94
static long sys4(long n, long a, long b, long c, long d)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
__asm__(".text\n.global _start\n_start:\n mov x0, sp\n bl tmain\n brk #0\n");
#else
#error "the exec trampoline knows x86_64 and aarch64"
#endif
/* three-argument calls: the fourth register is ignored */
#define sys3(n, a, b, c) sys4(n, a, b, c, 0)

static const char usage[] = "rl: this is rl's exec trampoline; it only runs as rl starts a "
                            "container's process\n";

__attribute__((noreturn)) static void quit(int code)
{
    for (;;)
        sys3(NR_exit_group, code, 0, 0);
}

static int parse_fd(const char *s)
{
    int fd = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || fd > 65535) return -1;
        fd = fd * 10 + (*s - '0');
    }
    return fd;
}

/* The kernel's sigaction for SIG_IGN and SIG_DFL: no handler to return to. */
struct ksigaction {
    long handler, flags, restorer;
    unsigned long mask;
};

/* Drop what is pending (SIG_IGN discards it; rl left every disposition at
 * SIG_DFL), then unblock everything. */
static void release_signals(void)
{
    unsigned long pending = 0, none = 0;
    const struct ksigaction ign = {1, 0, 0, 0}, dfl = {0, 0, 0, 0};
    sys3(NR_rt_sigpending, (long)&pending, sizeof pending, 0);
    for (int sig = 1; sig <= 64; sig++) {
        if (!(pending & (1UL << (sig - 1)))) continue;
        sys4(NR_rt_sigaction, sig, (long)&ign, 0, sizeof(unsigned long));
        sys4(NR_rt_sigaction, sig, (long)&dfl, 0, sizeof(unsigned long));
    }
    sys4(NR_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)&none, 0, sizeof none);
}

__attribute__((noreturn, used)) void tmain(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    sys3(NR_prctl, PR_SET_DUMPABLE, 0, 0);
    int fd = argc >= 3 ? parse_fd(argv[0]) : -1;
    if (fd < 0) {
        sys3(NR_write, 2, (long)usage, sizeof usage - 1);
        quit(127);
    }
    sys3(NR_fcntl, fd, F_SETFD, FD_CLOEXEC);
    release_signals();
    int e = (int)-sys3(NR_execve, (long)argv[1], (long)(argv + 2), (long)envp);
    sys3(NR_write, fd, (long)&e, sizeof e);
    quit(e == ENOENT ? 127 : 126);
}
