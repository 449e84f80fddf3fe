#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Capabilities, no_new_privs, seccomp, masked and read-only paths, fds.

load helpers

setup() {
    make_bundle
}

# hex mask of capability numbers, as /proc/PID/status prints it
capmask() {
    local m=0 c
    for c in "$@"; do m=$((m | (1 << c))); done
    printf '%016x' "$m"
}

@test "CapEff and CapBnd equal the spec's default sets (podman's 11)" {
    args grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    run_ctr
    [ "$status" -eq 0 ]
    # CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP
    want=$(capmask 0 1 3 4 5 6 7 8 10 18 31)
    [ "$want" = 00000000800405fb ]
    [[ "$output" == *"CapEff:	$want"* ]]
    [[ "$output" == *"CapBnd:	$want"* ]]
    [[ "$output" == *"CapPrm:	$want"* ]]
    [[ "$output" == *"CapInh:	0000000000000000"* ]]
    [[ "$output" == *"CapAmb:	0000000000000000"* ]]
}

@test "all five capability sets follow the spec, for a non-root user too" {
    spec '.process.user = {"uid":1000,"gid":1000} | .process.capabilities = {
        "bounding":["CAP_CHOWN","CAP_KILL","CAP_NET_RAW"],
        "permitted":["CAP_CHOWN","CAP_KILL"],
        "effective":["CAP_KILL"],
        "inheritable":["CAP_CHOWN","CAP_KILL"],
        "ambient":["CAP_KILL"]}'
    args grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    run_ctr
    [ "$status" -eq 0 ]
    [[ "$output" == *"CapBnd:	$(capmask 0 5 13)"* ]]
    [[ "$output" == *"CapPrm:	$(capmask 5)"* ]]
    [[ "$output" == *"CapInh:	$(capmask 0 5)"* ]]
    # execve without file capabilities: a non-root user keeps the ambient
    # set only, in permitted and effective (capabilities(7))
    [[ "$output" == *"CapAmb:	$(capmask 5)"* ]]
    [[ "$output" == *"CapEff:	$(capmask 5)"* ]]
}

@test "a dropped capability is really gone: chown fails without CAP_CHOWN" {
    spec '.process.capabilities.bounding -= ["CAP_CHOWN"] | .process.capabilities.effective -= ["CAP_CHOWN"] | .process.capabilities.permitted -= ["CAP_CHOWN"] | .root.readonly = false'
    args sh -c 'touch /f && chown 1:1 /f'
    run_ctr
    [ "$status" -ne 0 ]
    [[ "$output" == *"Operation not permitted"* ]]
}

@test "NoNewPrivs follows process.noNewPrivileges" {
    args grep NoNewPrivs /proc/self/status
    run_ctr
    [ "$output" = "NoNewPrivs:	1" ]
    spec '.process.noNewPrivileges = false'
    run_ctr
    [ "$output" = "NoNewPrivs:	0" ]
}

@test "no seccomp filter unless the spec has one" {
    args grep -E '^Seccomp:' /proc/self/status
    run_ctr
    [ "$output" = "Seccomp:	0" ]
}

@test "a blocked syscall gets the spec's errno, and Seccomp shows filter mode" {
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],
        "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":18}]}'
    args sh -c 'grep -E "^Seccomp:" /proc/self/status; mkdir /tmp/x; echo rc=$?'
    run_ctr
    [ "${lines[0]}" = "Seccomp:	2" ]
    [[ "$output" == *"Invalid cross-device link"* ]]
    [[ "$output" == *"rc=1"* ]]
}

@test "seccomp argument conditions: kill -USR1 blocked, kill -0 allowed" {
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW",
        "syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":1,
                     "args":[{"index":1,"value":10,"op":"SCMP_CMP_EQ"}]}]}'
    args sh -c 'kill -0 $$ && echo zero-ok; kill -USR1 $$; echo usr1=$?'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = zero-ok ]
    [[ "$output" == *"Operation not permitted"* ]]
    [[ "$output" == *"usr1=1"* ]]
}

@test "seccomp default action ERRNO with an allow list, as podman's profile" {
    # allow what busybox sh + echo need; anything else (mkdir) gets EPERM
    spec '.process.noNewPrivileges = false | .linux.seccomp = {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[
        {"names":["read","write","open","openat","close","fstat","newfstatat","stat","lstat","mmap","munmap","brk","rt_sigaction",
                  "rt_sigprocmask","rt_sigreturn","ioctl","execve","exit","exit_group","getpid","getppid","getuid","geteuid","getgid",
                  "getegid","arch_prctl","set_tid_address","fcntl","dup2","dup3","wait4","clone","fork","vfork","prctl","capset",
                  "capget","setgroups","setresuid","setresgid","setuid","setgid","chdir","getcwd","uname","access","faccessat",
                  "faccessat2","lseek","pread64","sigaltstack","set_robust_list","rseq","prlimit64","getrandom","mprotect",
                  "readlink","readlinkat","statx","poll","futex","clone3","close_range"],"action":"SCMP_ACT_ALLOW"}]}'
    args sh -c 'echo inside; mkdir /tmp/y; echo rc=$?'
    run_ctr
    [ "${lines[0]}" = inside ]
    [[ "$output" == *"Operation not permitted"* ]]
    [[ "$output" == *"rc=1"* ]]
}

@test "SCMP_ACT_KILL_PROCESS kills the process" {
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_KILL_PROCESS"}]}'
    args mkdir /tmp/z
    run_ctr
    [ "$status" -eq 159 ] # 128 + SIGSYS
}

@test "masked paths read empty; /proc/sys and the other read-only paths refuse writes" {
    args sh -c 'for f in /proc/kcore /proc/keys /proc/timer_list; do [ -e $f ] && echo "$f:$(head -c 64 $f | wc -c)"; done
                ls /sys/firmware | wc -l
                echo 1 > /proc/sys/kernel/domainname; echo sys=$?
                echo x > /proc/sysrq-trigger; echo sysrq=$?'
    run_ctr
    [ "$status" -eq 0 ]
    [[ "$output" == *"/proc/keys:0"* ]]
    [[ "$output" == *"/proc/timer_list:0"* ]]
    if [ -e /proc/kcore ]; then [[ "$output" == *"/proc/kcore:0"* ]]; fi
    [[ "$output" == *"Read-only file system"* ]]
    [[ "$output" == *"sys=1"* ]]
    [[ "$output" == *"sysrq=1"* ]]
    [[ "$output" != *"/proc/keys:"[1-9]* ]]
}

@test "only fds 0-2 are open in the container, whatever the caller had open" {
    # ls as a child lists pid 1's fds (a glob, or ls run by pid 1 itself,
    # would show its own; in a pipeline the shell briefly holds pipe ends)
    args sh -c 'ls /proc/1/fd; true'
    exec 5</dev/null 7>"$BATS_TEST_TMPDIR/leak"
    run_ctr
    exec 5<&- 7>&-
    [ "$status" -eq 0 ]
    [ "$(echo $output)" = "0 1 2" ]
}

@test "--preserve-fds passes fds 3.. and LISTEN_FDS adds to them" {
    args sh -c 'cat <&3; ls /proc/1/fd; true'
    echo passed-through > "$BATS_TEST_TMPDIR/in"
    run "$RL" oci --root "$ROOT" run -b "$BUNDLE" --preserve-fds 1 pfd 3<"$BATS_TEST_TMPDIR/in"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = passed-through ]
    [ "$(echo ${lines[@]:1})" = "0 1 2 3" ]
    LISTEN_FDS=1 run "$RL" oci --root "$ROOT" run -b "$BUNDLE" lfd 3<"$BATS_TEST_TMPDIR/in"
    [ "${lines[0]}" = passed-through ]
}

@test "devices listed in the spec appear in /dev" {
    spec '.linux.devices = [{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":438}]'
    args sh -c 'ls -l /dev/fuse'
    run_ctr
    [ "$status" -eq 0 ]
    [[ "$output" == c*"10,"*"229"*/dev/fuse ]]
}
