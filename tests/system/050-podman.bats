#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A real client: Debian's podman using rl-oci as its OCI runtime, rootless.

load helpers

setup_file() {
    export CONTAINERS_CONF=$BATS_FILE_TMPDIR/containers.conf
    # podman 4.3 on this kind of host: cgroupfs (no systemd user session),
    # file events; the runtime is given per command with --runtime.
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"
    podman rm -af >/dev/null 2>&1 || true
    podman import -q "$WORK/rootfs.tar" localhost/rl-bb >/dev/null
}

teardown_file() {
    podman rm -af >/dev/null 2>&1 || true
}

p() {
    podman --runtime "$WORK/bin/rl-oci" "$@"
}

@test "podman run --rm with rl-oci" {
    run p run --rm localhost/rl-bb echo hi
    [ "$status" -eq 0 ]
    [ "$output" = hi ]
}

@test "podman run passes the exit code and reports a missing command as 127" {
    run p run --rm localhost/rl-bb sh -c 'exit 7'
    [ "$status" -eq 7 ]
    run -127 p run --rm localhost/rl-bb no-such-command
    [ "$status" -eq 127 ]
    [[ "$output" == *'"no-such-command": executable file not found'* ]]
}

@test "podman run -d, exec, stop, rm" {
    run p run -d --name rl-d1 localhost/rl-bb sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
    [ "$status" -eq 0 ]
    [ "$(podman inspect -f '{{.State.Status}}' rl-d1)" = running ]
    run p exec rl-d1 sh -c 'echo in-exec; ps -o args | grep -c "while"'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = in-exec ]
    run p exec rl-d1 sh -c 'exit 4'
    [ "$status" -eq 4 ]
    start=$(date +%s%N)
    p stop -t 10 rl-d1
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    # the container's TERM trap ended it: well before the 10 s timeout
    [ "$elapsed" -lt 5000 ]
    [ "$(podman inspect -f '{{.State.Status}}' rl-d1)" = exited ]
    p rm rl-d1
    run podman inspect rl-d1
    [ "$status" -ne 0 ]
}

@test "podman run -it gets a working terminal" {
    run script -qec "podman --runtime $WORK/bin/rl-oci run -it --rm localhost/rl-bb sh -c 'tty; stty size; echo tty-ok; sleep 0.5; exit 3'" /dev/null < /dev/null
    [ "$status" -eq 3 ]
    [[ "$output" == *"/dev/pts/0"* ]]
    [[ "$output" == *"tty-ok"* ]]
}

@test "podman exec -t gets a terminal too" {
    p run -d --name rl-d2 localhost/rl-bb sleep 60
    run script -qec "podman --runtime $WORK/bin/rl-oci exec -t rl-d2 tty" /dev/null < /dev/null
    [[ "$output" == *"/dev/pts/"* ]]
    p rm -f -t 0 rl-d2
}

@test "podman's container sees podman's settings applied by rl-oci" {
    run p run --rm --hostname pod-host --cap-drop all --cap-add CAP_KILL localhost/rl-bb sh -c 'hostname; grep CapEff /proc/self/status; grep Seccomp: /proc/self/status'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = pod-host ]
    [ "${lines[1]}" = "CapEff:	0000000000000020" ]
    [ "${lines[2]}" = "Seccomp:	2" ]
}

@test "podman build runs its RUN steps through rl-oci; a failing one leaves no container" {
    local ctx=$BATS_TEST_TMPDIR/ctx
    mkdir -p "$ctx"
    printf 'FROM localhost/rl-bb\nRUN echo built > /built && grep CapEff /proc/self/status\n' > "$ctx/Containerfile"
    # the capabilities a RUN step gets are buildah's, as runc gives them
    run podman build --runtime runc --no-cache -t localhost/rl-built-runc "$ctx"
    [ "$status" -eq 0 ]
    local caps
    caps=$(grep '^CapEff:' <<<"$output")
    [ -n "$caps" ]
    run p build --runtime "$WORK/bin/rl-oci" --no-cache -t localhost/rl-built "$ctx"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(grep '^CapEff:' <<<"$output")" = "$caps" ]
    run p run --rm localhost/rl-built cat /built
    [ "$output" = built ]
    printf 'FROM localhost/rl-bb\nRUN exit 3\n' > "$ctx/Containerfile"
    run p build --runtime "$WORK/bin/rl-oci" -t localhost/rl-fails "$ctx"
    [ "$status" -ne 0 ]
    [[ "$output" == *'building at STEP "RUN exit 3"'* ]]
    [[ "$output" != *"cannot delete"* ]]
    [ -z "$(podman ps -a --external -q)" ]
    podman rmi -f localhost/rl-built localhost/rl-built-runc >/dev/null
}
