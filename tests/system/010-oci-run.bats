#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# rl oci run as an unprivileged user: what the container sees.

load helpers

setup() {
    make_bundle
}

@test "uid 0 inside, with the user's full subordinate map" {
    args sh -c 'id -u; id -g; cat /proc/self/uid_map; cat /proc/self/gid_map'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 0 ]
    [ "${lines[1]}" = 0 ]
    sub=$(awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subuid)
    subg=$(awk -F: -v u="$(id -un)" '$1==u {print $2; exit}' /etc/subgid)
    [ "$(echo "${lines[2]}" | xargs)" = "0 $(id -u) 1" ]
    [ "$(echo "${lines[3]}" | xargs)" = "1 $sub 65536" ]
    [ "$(echo "${lines[4]}" | xargs)" = "0 $(id -g) 1" ]
    [ "$(echo "${lines[5]}" | xargs)" = "1 $subg 65536" ]
}

@test "the host's processes are invisible: the container's command is pid 1" {
    args sh -c 'echo $$; for p in /proc/[0-9]*; do echo "$p"; done'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1 ]
    # only the shell itself: no host init, no bats, no rl
    [ "${lines[1]}" = /proc/1 ]
    [ "${#lines[@]}" -eq 2 ]
    [ "$(ls -d /proc/[0-9]* | wc -l)" -gt 5 ] # while the host has many
}

@test "hostname comes from the spec" {
    spec '.hostname = "box-42"'
    args hostname
    run_ctr
    [ "$status" -eq 0 ]
    [ "$output" = box-42 ]
}

@test "a file written to a bind-mounted host dir belongs to the user on the host" {
    mkdir "$BATS_TEST_TMPDIR/shared"
    spec --arg s "$BATS_TEST_TMPDIR/shared" '.mounts += [{"destination":"/shared","type":"bind","source":$s,"options":["rbind","rw"]}]'
    args sh -c 'echo data > /shared/f; mkdir /shared/d'
    run_ctr
    [ "$status" -eq 0 ]
    [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/shared/f")" = "$(id -u):$(id -g)" ]
    [ "$(stat -c %u "$BATS_TEST_TMPDIR/shared/d")" = "$(id -u)" ]
    [ "$(cat "$BATS_TEST_TMPDIR/shared/f")" = data ]
}

@test "a read-only bind mount cannot be written" {
    mkdir "$BATS_TEST_TMPDIR/ro"
    spec --arg s "$BATS_TEST_TMPDIR/ro" '.mounts += [{"destination":"/ro","type":"bind","source":$s,"options":["bind","ro"]}]'
    args sh -c 'touch /ro/x'
    run_ctr
    [ "$status" -ne 0 ]
    [[ "$output" == *"Read-only file system"* ]]
    [ ! -e "$BATS_TEST_TMPDIR/ro/x" ]
}

@test "exit codes pass through" {
    args sh -c 'exit 42'
    run_ctr
    [ "$status" -eq 42 ]
}

@test "a container killed by a signal exits 128+N" {
    args sleep 30
    "$RL" oci --root "$ROOT" run -b "$BUNDLE" sig1 &
    rpid=$!
    wait_status sig1 running
    rl kill sig1 KILL
    # (not `run wait`: run is a subshell, which cannot wait for our child)
    code=0
    wait "$rpid" || code=$?
    [ "$code" -eq 137 ]
}

@test "the command starts with no signal blocked, ignored or pending, whatever rl had" {
    args sh -c 'grep -E "^Sig(Pnd|Blk|Ign):" /proc/self/status; grep "^ShdPnd:" /proc/self/status'
    # ignored in the caller, 32 and 33 too (libc's sigaction will not touch
    # them: ignore32 sets them with the kernel's call); rl itself blocks
    # everything while it sets up. stdout only: the assertion is about the
    # process, not about a warning of rl's.
    run --separate-stderr bash -c "trap '' INT TERM USR1; exec '$WORK/bin/ignore32' '$RL' oci --root '$ROOT' run -b '$BUNDLE' sigs"
    echo "stdout: $output"
    echo "stderr: $stderr"
    [ "$status" -eq 0 ]
    [ "$output" = $'SigPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nShdPnd:\t0000000000000000' ]
}

@test "a missing command exits 127 and names it" {
    args no-such-cmd
    run_ctr -127
    [ "$output" = 'rl: exec: "no-such-cmd": executable file not found in $PATH' ]
    [ -z "$(rl list -q)" ]
}

@test "a missing absolute path exits 127" {
    args /bin/nope
    run_ctr -127
    [[ "$output" == *'"/bin/nope": no such file or directory'* ]]
}

@test "a file that is not executable exits 126" {
    printf 'echo hi\n' > "$BUNDLE/rootfs/bin/script"
    chmod 644 "$BUNDLE/rootfs/bin/script"
    args /bin/script
    run_ctr
    [ "$status" -eq 126 ]
    [[ "$output" == *'"/bin/script": permission denied'* ]]
    args /tmp
    run_ctr
    [ "$status" -eq 126 ]
}

@test "env, cwd and user from the spec" {
    spec '.process.env += ["FOO=bar baz"] | .process.cwd = "/tmp/work" | .process.user = {"uid":1000,"gid":1000,"additionalGids":[10,20]}'
    args sh -c 'echo "$FOO"; pwd; id -u; id -g; id -G'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "bar baz" ]
    [ "${lines[1]}" = /tmp/work ]
    [ "${lines[2]}" = 1000 ]
    [ "${lines[3]}" = 1000 ]
    [ "${lines[4]}" = "1000 10 20" ]
}

@test "rlimits are applied" {
    spec '.process.rlimits = [{"type":"RLIMIT_NOFILE","soft":321,"hard":654},{"type":"RLIMIT_CORE","soft":0,"hard":0}]'
    args sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 321 ]
    [ "${lines[1]}" = 654 ]
    [ "${lines[2]}" = 0 ]
}

@test "oomScoreAdj is applied" {
    spec '.process.oomScoreAdj = 500'
    args cat /proc/self/oom_score_adj
    run_ctr
    [ "$status" -eq 0 ]
    [ "$output" = 500 ]
}

@test "tmpfs mounts take their options" {
    spec '.mounts += [{"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1700","size=1m"]}]'
    args sh -c 'stat -c %a /scratch; grep " /scratch " /proc/mounts'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1700 ]
    [[ "${lines[1]}" == *"tmpfs"*"nosuid"*"nodev"*"size=1024k"* ]]
}

@test "tmpcopyup: a tmpfs starts with what the image has there, owners and modes kept; writes stay in it" {
    mkdir -p "$BUNDLE/rootfs/seed/sub"
    echo seeded > "$BUNDLE/rootfs/seed/sub/f"
    ln -s sub/f "$BUNDLE/rootfs/seed/link"
    chmod 0751 "$BUNDLE/rootfs/seed/sub"
    spec '.root.readonly = false | .mounts += [{"destination":"/seed","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","nosuid","mode=755"]},
        {"destination":"/ro","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","ro"]}]'
    mkdir -p "$BUNDLE/rootfs/ro"
    echo r > "$BUNDLE/rootfs/ro/file"
    args sh -c 'grep " /seed " /proc/mounts | cut -d" " -f3; cat /seed/sub/f /seed/link; stat -c "%a %u" /seed/sub;
        echo new > /seed/sub/f; cat /seed/sub/f; cat /ro/file; echo x > /ro/file || echo ro-refused'
    run -0 --separate-stderr "$RL" oci --root "$ROOT" run -b "$BUNDLE" cu1
    [ "${lines[0]}" = tmpfs ]
    [ "${lines[1]}" = seeded ]
    [ "${lines[2]}" = seeded ]
    [ "${lines[3]}" = "751 0" ]
    [ "${lines[4]}" = new ]
    [ "${lines[5]}" = r ]
    [ "${lines[6]}" = ro-refused ]
    # the image's copy is untouched
    [ "$(cat "$BUNDLE/rootfs/seed/sub/f")" = seeded ]
    spec '.mounts += [{"destination":"/seed2","type":"bind","source":"/tmp","options":["rbind","tmpcopyup"]}]'
    run -125 "$RL" oci --root "$ROOT" run -b "$BUNDLE" cu2
    [[ "$output" == *"'tmpcopyup' is for tmpfs only"* ]]
}

@test "a read-only root cannot be written; a writable one can" {
    args touch /newfile
    run_ctr
    [ "$status" -ne 0 ]
    spec '.root.readonly = false'
    run_ctr
    [ "$status" -eq 0 ]
    [ -e "$BUNDLE/rootfs/newfile" ]
}

@test "/dev has the standard devices and a private devpts" {
    args sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev/pts && readlink /dev/ptmx && readlink /dev/fd'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 4 ]
    [ "${lines[1]}" = ptmx ]
    [ "${lines[2]}" = pts/ptmx ]
    [ "${lines[3]}" = /proc/self/fd ]
}

@test "the network namespace has only lo, and it is up" {
    args sh -c 'ls /sys/class/net; cat /sys/class/net/lo/operstate; ping -c1 -W1 127.0.0.1 >/dev/null 2>&1; echo ping=$?'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = lo ]
    [ "${lines[2]}" = ping=0 ] || [ "${lines[2]}" = ping=1 ] # ping may need a group range; lo is listed up
}

@test "time namespace offsets apply" {
    spec '.linux.namespaces += [{"type":"time"}] | .linux.timeOffsets = {"boottime":{"secs":86400,"nanosecs":0}}'
    args cat /proc/uptime
    host=$(cut -d. -f1 /proc/uptime)
    run_ctr
    [ "$status" -eq 0 ]
    inside=$(echo "$output" | cut -d. -f1)
    [ "$inside" -ge $((host + 86000)) ]
}

@test "sysctls in owned namespaces are written" {
    spec '.linux.sysctl = {"net.ipv4.ip_forward":"1","kernel.shmmax":"12345678"}'
    args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax'
    run_ctr
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 1 ]
    [ "${lines[1]}" = 12345678 ]
}

@test "a single-id mapping works without subordinate ids" {
    spec --argjson u "$(id -u)" --argjson g "$(id -g)" '.linux.uidMappings = [{"containerID":0,"hostID":$u,"size":1}] | .linux.gidMappings = [{"containerID":0,"hostID":$g,"size":1}] | .mounts |= map(if .type == "devpts" then .options -= ["gid=5"] else . end)'
    args sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups'
    run_ctr
    [ "$status" -eq 0 ]
    [ "$(echo "${lines[0]}" | xargs)" = "0 $(id -u) 1" ]
    [ "${lines[1]}" = deny ]
}
