#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# overlay, fuse-overlayfs and vfs: the same container either way; rl info says which and why.

load helpers

setup() {
    use_store
    rli pull -q "$REG/multi:gzip" >/dev/null
}
teardown() { store_teardown; }

@test "info: native overlay here, with the reason" {
    run -0 rli info
    [[ "$output" == *"graphDriverName: overlay"* ]]
    [[ "$output" == *"graphDriverReason: native overlay mounts in a user namespace here (probed)"* ]]
    run -0 rli --storage-driver vfs info
    [[ "$output" == *"graphDriverName: vfs"*"chosen with --storage-driver"* ]]
    run -125 rli --storage-driver zfs info
    [ "$output" = "rl: storage driver 'zfs': use overlay, fuse-overlayfs or vfs" ]
}

@test "every driver shows the same tree, and writes stay in the container" {
    for d in overlay fuse-overlayfs vfs; do
        run -0 "$RL" --root "$STORE" --storage-driver "$d" run --rm "$REG/multi:gzip" sh -c \
            'find /data /opq | sort | while read f; do stat -c "%n %u %g %a %F %s" "$f"; done; echo x > /data/added; rm /data/hard1'
        diff <(echo "$output" | awk '$5=="directory"{$6="-"} {print}') "$IMAGES/multi.expected"
    done
    run -0 rli run --rm "$REG/multi:gzip" cat /data/added /data/hard1
    [ "${lines[0]}" = "new in layer 2" ]
}

@test "storage.conf chooses the driver" {
    mkdir -p "$BATS_TEST_TMPDIR/cfg/containers"
    printf '[storage]\ndriver = "vfs"\n' > "$BATS_TEST_TMPDIR/cfg/containers/storage.conf"
    XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/cfg run -0 rli info
    [[ "$output" == *"graphDriverName: vfs"*"chosen in storage.conf"* ]]
    XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/cfg run -0 rli run --rm "$REG/multi:gzip" cat /data/added
}

@test "the container's mounts are gone with it; nothing of the store is mounted on the host" {
    rli run --rm "$REG/multi:gzip" true
    run -1 grep -F "$STORE" /proc/self/mountinfo
}

@test "--storage-driver with an unknown driver is refused before any verb, as podman does" {
    for verb in ps images info; do
        run -125 rli --storage-driver bogus $verb
        [ "$output" = "rl: storage driver 'bogus': use overlay, fuse-overlayfs or vfs" ]
    done
    run -0 rli --storage-driver vfs ps -q
}

@test "the fuse-overlayfs daemon is out of the container's sight, and gone with it" {
    run -0 "$RL" --root "$STORE" --storage-driver fuse-overlayfs run -d "$REG/multi:gzip" sleep 100
    id=$output
    # in the container: no fuse-overlayfs among its processes (it could ptrace it)
    run -0 "$RL" --root "$STORE" exec "$id" sh -c 'cat /proc/[0-9]*/comm'
    [[ "$output" != *fuse-overlayfs* ]]
    [[ "$output" == *sleep* ]]
    # on the host: the daemon serving this container's upper dir
    pgrep -u "$(id -u)" -f "fuse-overlayfs.*$id" > "$BATS_TEST_TMPDIR/fpid"
    fpid=$(cat "$BATS_TEST_TMPDIR/fpid")
    [ -n "$fpid" ]
    [ "$(readlink /proc/$fpid/ns/pid)" = "$(readlink /proc/self/ns/pid)" ]
    run -0 "$RL" --root "$STORE" exec "$id" cat /data/added
    run -0 "$RL" --root "$STORE" rm -f "$id"
    for i in $(seq 50); do no_process "$fpid" && break; sleep 0.1; done
    no_process "$fpid"
}
