#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# linux.namespaces entries with a path: the container joins the namespace a
# holder process made (as runtime-tools' linux_ns_path does it), and still
# starts on the bundle's rootfs, never on the holder's root (issue 14).

load helpers

setup() {
    make_bundle
    touch "$BUNDLE/rootfs/bundle-marker"
    HOLDER= HELD=
}

teardown() {
    teardown_containers
    # unshare --fork waits out a SIGTERM, and the sleeper may be a pid
    # namespace's init: KILL it, or it holds bats' output open for 600 s
    [ -z "$HELD" ] || kill -KILL "$HELD" 2>/dev/null || true
    [ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null || true
}

# hold NS...: a user namespace (mapping us to root) and the given ones, kept by
# a sleeping child; $HOLDER is the unshare, $HELD the process inside them.
hold() {
    unshare --user --map-root-user "$@" --fork sleep 600 &
    HOLDER=$!
    local i
    for i in $(seq 50); do
        HELD=$(pgrep -P "$HOLDER" sleep) && [ -n "$HELD" ] && return 0
        sleep 0.1
    done
    echo "no holder process" >&2
    return 1
}

# join_spec TYPE...: the spec joins the holder's user namespace and each TYPE
# (OCI names); the rest stay new namespaces made inside the joined user one.
join_spec() {
    local t ns
    spec --arg p "/proc/$HELD/ns/user" \
        'del(.linux.uidMappings, .linux.gidMappings)
         | .linux.namespaces |= map(if .type == "user" then .path = $p else . end)'
    for t in "$@"; do
        case $t in mount) ns=mnt ;; network) ns=net ;; *) ns=$t ;; esac
        spec --arg t "$t" --arg p "/proc/$HELD/ns/$ns" \
            '.linux.namespaces |= (map(select(.type != $t)) + [{type: $t, path: $p}])'
    done
}

# The container sees the bundle's rootfs and reports the namespace it is in.
check_joined() {
    local t=$1 ns=$2
    args sh -c "test -e /bundle-marker && test ! -e /usr/lib/os-release && readlink /proc/self/ns/$ns"
    run_ctr -0
    [ "$output" = "$(readlink "/proc/$HELD/ns/$ns")" ]
}

@test "a joined mount namespace still gets the bundle's rootfs, not the holder's root" {
    hold --mount
    join_spec mount
    check_joined mount mnt
    # the holder's namespace: our pivot_root moved its root, as runc's does
    # it; what matters is the container never saw the host's root
}

@test "joining an ipc namespace by path" {
    hold --ipc
    join_spec ipc
    check_joined ipc ipc
}

@test "joining a network namespace by path" {
    hold --net
    join_spec network
    check_joined network net
}

@test "joining a pid namespace by path: the container is a second process there" {
    hold --pid --mount-proc
    join_spec pid
    check_joined pid pid
    args sh -c 'test -e /bundle-marker && echo $$'
    run_ctr -0
    [ "$output" != 1 ]
}

@test "joining a uts namespace by path" {
    hold --uts
    join_spec uts
    spec 'del(.hostname)'
    check_joined uts uts
}

@test "joining a cgroup namespace by path" {
    hold --cgroup
    join_spec cgroup
    check_joined cgroup cgroup
}

@test "joining a time namespace by path" {
    hold --time
    spec '.linux.namespaces += [{type: "time"}]'
    join_spec time
    check_joined time time
}

@test "joining only the user namespace: the others are made inside it" {
    hold
    join_spec
    check_joined user user
    args sh -c "readlink /proc/self/ns/mnt"
    run_ctr -0
    [ "$output" != "$(readlink "/proc/$HELD/ns/mnt")" ]
}

@test "joining every namespace at once" {
    hold --mount --ipc --net --uts --pid --cgroup --time
    spec '.linux.namespaces += [{type: "time"}] | del(.hostname)'
    join_spec mount ipc network uts pid cgroup time
    args sh -c 'test -e /bundle-marker && for n in mnt ipc net uts pid cgroup time; do readlink /proc/self/ns/$n; done'
    run_ctr -0
    local n want=""
    for n in mnt ipc net uts pid cgroup time; do want="$want$(readlink "/proc/$HELD/ns/$n")"$'\n'; done
    [ "$output"$'\n' = "$want" ]
}

@test "rootless, a spec without a mount namespace is refused in one line" {
    spec '.linux.namespaces |= map(select(.type != "mount"))'
    args true
    run_ctr -125
    [ "$output" = "rl: linux.namespaces: linux.maskedPaths needs a mount namespace of the container's own; add {\"type\": \"mount\"}" ]
    spec '.linux.maskedPaths = [] | .linux.readonlyPaths = [] | .root.readonly = false'
    run_ctr -125
    [ "$output" = "rl: linux.namespaces: a user namespace needs a mount namespace of the container's own; add {\"type\": \"mount\"}" ]
}
