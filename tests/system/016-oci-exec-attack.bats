#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Issue 14, part 1: while a process rl starts in a container still runs rl
# (the exec child, an init joining the container's pid namespace), nothing
# in the container may open its exe or other /proc files, ptrace it, or
# signal its setup; and rl's binary is never the executable of a process in
# the container, not even for a `#!/proc/self/exe` script (CVE-2019-5736).
# rl here is a copy the user can write, as after `make install PREFIX=~/.local`.

load helpers

setup() {
    make_bundle
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    cp "$RL" "$BATS_TEST_TMPDIR/bin/rl"
    MYRL=$BATS_TEST_TMPDIR/bin/rl
    SUM=$(sha256sum < "$MYRL")
    cp "$WORK/bin/rlprobe" "$BUNDLE/rootfs/rlprobe"
    # the attacker may trace: CAP_SYS_PTRACE, and the default seccomp profile
    spec '.root.readonly = false | .process.terminal = false
          | .process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])'
}

teardown() {
    store_teardown
    local id
    for id in $("$MYRL" oci --root "$ROOT" list -q 2>/dev/null); do
        "$MYRL" oci --root "$ROOT" delete --force "$id" >/dev/null 2>&1
    done
}

myrl() {
    "$MYRL" oci --root "$ROOT" "$@"
}

# The probe container: rlprobe watches its pid namespace until /stop exists.
start_probe() {
    args sh -c '/rlprobe /stop > /probe.out'
    myrl create -b "$BUNDLE" probe < /dev/null > /dev/null
    myrl start probe
    sleep 0.2
}

# stop_probe MIN: the probe saw at least MIN rl processes and touched none.
stop_probe() {
    touch "$BUNDLE/rootfs/stop"
    local i
    for i in $(seq 50); do
        [ "$(status_of_my probe)" = stopped ] && break
        sleep 0.1
    done
    cat "$BUNDLE/rootfs/probe.out"
    run grep -c TOUCHED "$BUNDLE/rootfs/probe.out"
    [ "$output" = 0 ]
    seen=$(awk '/^seen/ {print $2}' "$BUNDLE/rootfs/probe.out")
    [ "$seen" -ge "$1" ]
    # and rl's binary is as it was
    [ "$(sha256sum < "$MYRL")" = "$SUM" ]
}

status_of_my() {
    myrl state "$1" | jq -r .status
}

@test "the rl exec child cannot be opened, traced or signalled from the container" {
    start_probe
    local i out
    for i in $(seq 100); do
        out=$(myrl exec probe echo "ok-$i")
        [ "$out" = "ok-$i" ]
    done
    stop_probe 1
}

@test "an init joining the container's pid namespace cannot be opened, traced or signalled" {
    start_probe
    local pid
    pid=$(myrl state probe | jq .pid)
    # a second container in the probe's user and pid namespaces, run 30 times
    cp -a "$BUNDLE" "$BATS_TEST_TMPDIR/b2"
    jq --arg u "/proc/$pid/ns/user" --arg p "/proc/$pid/ns/pid" \
        'del(.linux.uidMappings, .linux.gidMappings) | .process.args = ["echo", "joined"]
         | .linux.namespaces |= (map(select(.type != "user" and .type != "pid"))
                                 + [{type: "user", path: $u}, {type: "pid", path: $p}])' \
        "$BUNDLE/config.json" > "$BATS_TEST_TMPDIR/b2/config.json"
    local i
    for i in $(seq 30); do
        run myrl run -b "$BATS_TEST_TMPDIR/b2" "j$i"
        [ "$status" -eq 0 ]
        [ "$output" = joined ]
    done
    stop_probe 1
}

@test "a #!/proc/self/exe script runs rl's sealed trampoline, never rl" {
    printf '#!/proc/self/exe\n' > "$BUNDLE/rootfs/selfexe"
    chmod 755 "$BUNDLE/rootfs/selfexe"
    args /selfexe
    run -127 myrl run -b "$BUNDLE" s1
    [ "$output" = "rl: this is rl's exec trampoline; it only runs as rl starts a container's process" ]
    args sleep 30
    myrl create -b "$BUNDLE" s2 < /dev/null > /dev/null
    myrl start s2
    run -127 myrl exec s2 /selfexe
    [ "$output" = "rl: this is rl's exec trampoline; it only runs as rl starts a container's process" ]
    # what the process is: its command, and the trampoline only as a sealed memfd before it
    run myrl exec s2 readlink /proc/self/exe
    [ "$output" = /bin/busybox ]
    [ "$(sha256sum < "$MYRL")" = "$SUM" ]
}

@test "the command's own execve error comes back through the trampoline" {
    printf 'not a program\n' > "$BUNDLE/rootfs/badfmt"
    chmod 755 "$BUNDLE/rootfs/badfmt"
    args /badfmt
    run -126 myrl run -b "$BUNDLE" e1
    [ "$output" = 'rl: exec: "/badfmt": exec format error' ]
    args sleep 30
    myrl create -b "$BUNDLE" e2 < /dev/null > /dev/null
    myrl start e2
    run -126 myrl exec e2 /badfmt
    [ "$output" = 'rl: exec: "/badfmt": exec format error' ]
}

@test "rl run and rl exec go through the trampoline under podman's seccomp profile too" {
    use_store
    rli pull -q "$REG/small" > /dev/null
    mkdir -p "$BATS_TEST_TMPDIR/x"
    printf '#!/proc/self/exe\n' > "$BATS_TEST_TMPDIR/x/selfexe"
    chmod 755 "$BATS_TEST_TMPDIR/x/selfexe"
    # (the image's entrypoint is sh -c: the script as the entrypoint, for rl to run it)
    run -127 rli run --rm --entrypoint /x/selfexe -v "$BATS_TEST_TMPDIR/x:/x:ro" "$REG/small"
    [ "$output" = "rl: this is rl's exec trampoline; it only runs as rl starts a container's process" ]
    run -0 rli run -d --name t1 -v "$BATS_TEST_TMPDIR/x:/x:ro" "$REG/small" 'sleep 100'
    run -127 rli exec t1 /x/selfexe
    [ "$output" = "rl: this is rl's exec trampoline; it only runs as rl starts a container's process" ]
    run -0 rli exec t1 grep Seccomp: /proc/self/status
    [ "$output" = "Seccomp:	2" ]
    run -0 rli rm -f t1
}
