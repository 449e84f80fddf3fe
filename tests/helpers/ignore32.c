/* SPDX-License-Identifier: Apache-2.0 */
/* ignore32 CMD ARGS...: runs CMD with signals 32 and 33 ignored, set with
 * the kernel's rt_sigaction (libc's sigaction refuses the two it keeps for
 * its threads). A test's caller that left them so: rl must reset them. */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct {
        unsigned long handler, flags, restorer, mask;
    } ign = {(unsigned long)SIG_IGN, 0, 0, 0};
    if (argc < 2) {
        fprintf(stderr, "usage: ignore32 CMD [ARGS...]\n");
        return 2;
    }
    for (int sig = 32; sig <= 33; sig++)
        if (syscall(SYS_rt_sigaction, sig, &ign, NULL, sizeof ign.mask) < 0) perror("rt_sigaction");
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
