#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The root subset: rl as root (no user namespace, like podman), and a user
# without subordinate ids (the single-id fallback), made here as root.

load helpers

NOSUB=rlnosub

setup() {
    make_bundle
}

@test "as root, without a user namespace: real uid 0 and the default capabilities" {
    [ "$(id -u)" = 0 ]
    args sh -c 'cat /proc/self/uid_map; grep CapEff /proc/self/status; hostname'
    run_ctr
    [ "$status" -eq 0 ]
    [ "$(echo "${lines[0]}" | xargs)" = "0 0 4294967295" ]
    [ "${lines[1]}" = "CapEff:	00000000800405fb" ]
    [ "${lines[2]}" = rl ]
}

@test "as root, devices are real nodes (mknod), not bind mounts" {
    spec '.linux.devices = [{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":432,"uid":0,"gid":0}]'
    args sh -c 'ls -l /dev/fuse; grep -c " /dev/fuse " /proc/self/mountinfo'
    run_ctr
    [[ "${lines[0]}" == crw-rw----*"10,"*"229"* ]]
    [ "${lines[1]}" = 0 ]
}

@test "a user without subordinate ids gets a single-id map and one warning naming the fix" {
    id "$NOSUB" >/dev/null 2>&1 || useradd -M -s /bin/sh "$NOSUB"
    sed -i "/^$NOSUB:/d" /etc/subuid /etc/subgid
    d=$(runuser -u "$NOSUB" -- mktemp -d)
    runuser -u "$NOSUB" -- tar -C "$d" -xf "$WORK/rootfs.tar" --one-top-level=rootfs 2>/dev/null || { mkdir -p "$d/rootfs"; tar -C "$d/rootfs" -xf "$WORK/rootfs.tar"; chown -R "$NOSUB" "$d"; }
    run runuser -u "$NOSUB" -- "$RL" oci spec -b "$d"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: warning: no subordinate uids for user '$NOSUB'"*"usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $NOSUB" ]]
    [ "$(jq -c '.linux.uidMappings' "$d/config.json")" = "[{\"containerID\":0,\"hostID\":$(id -u $NOSUB),\"size\":1}]" ]
    # gid 5 is not mapped: rl retries devpts without it
    jq '.process.args = ["sh","-c","id -u; cat /proc/self/uid_map"]' "$d/config.json" > "$d/c.json" && mv "$d/c.json" "$d/config.json"
    chown "$NOSUB" "$d/config.json"
    run runuser -u "$NOSUB" -- env -u XDG_RUNTIME_DIR "$RL" oci run -b "$d" single
    rm -rf "$d"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 0 ]
    [ "$(echo "${lines[1]}" | xargs)" = "0 $(id -u $NOSUB) 1" ]
}

@test "subordinate ids are cached per user, and a change to /etc/subuid is seen at once" {
    id "$NOSUB" >/dev/null 2>&1 || useradd -M -s /bin/sh "$NOSUB"
    sed -i "/^$NOSUB:/d" /etc/subuid /etc/subgid
    d=$(runuser -u "$NOSUB" -- mktemp -d)
    maps() { runuser -u "$NOSUB" -- sh -c "cd $d && '$RL' oci spec 2>/dev/null && jq -c .linux.uidMappings config.json && rm config.json"; }
    [ "$(maps)" = "[{\"containerID\":0,\"hostID\":$(id -u $NOSUB),\"size\":1}]" ]
    usermod --add-subuids 300000-300999 --add-subgids 300000-300999 "$NOSUB"
    [ "$(maps)" = "[{\"containerID\":0,\"hostID\":$(id -u $NOSUB),\"size\":1},{\"containerID\":1,\"hostID\":300000,\"size\":1000}]" ]
    sed -i "/^$NOSUB:/d" /etc/subuid /etc/subgid
    [ "$(maps)" = "[{\"containerID\":0,\"hostID\":$(id -u $NOSUB),\"size\":1}]" ]
    rm -rf "$d"
}

@test "as root, a spec without namespaces runs in the caller's, chrooted; its mounts go at delete" {
    spec '.linux.namespaces = [] | del(.hostname) | .linux.maskedPaths = [] | .linux.readonlyPaths = [] | .root.readonly = false'
    args sh -c 'for n in mnt net pid ipc uts cgroup; do readlink /proc/self/ns/$n; done; test -f /bin/busybox && test -c /dev/null && echo chrooted'
    run_ctr -0
    local n want=""
    for n in mnt net pid ipc uts cgroup; do want="$want$(readlink /proc/self/ns/$n)"$'\n'; done
    [ "$output" = "${want}chrooted" ]
    # the mounts it made under its rootfs, in our namespace, are gone with it
    ! grep -F " $BUNDLE/rootfs/" /proc/self/mountinfo
    args sleep 30
    rl create -b "$BUNDLE" nons
    grep -qF " $BUNDLE/rootfs/proc " /proc/self/mountinfo
    grep -qF " $BUNDLE/rootfs/dev/pts " /proc/self/mountinfo
    # kill --all and delete -f reach its own processes, not the rest of ours
    sleep 60 &
    local bystander=$!
    rl delete -f nons
    kill -0 "$bystander"
    kill "$bystander"
    ! grep -F " $BUNDLE/rootfs/" /proc/self/mountinfo
    # what needs a mount namespace of its own is refused, as runc does
    spec '.linux.maskedPaths = ["/proc/kcore"]'
    run rl run -b "$BUNDLE" nons2
    [ "$status" -eq 125 ]
    [ "$output" = "rl: linux.namespaces: linux.maskedPaths needs a mount namespace of the container's own; add {\"type\": \"mount\"}" ]
}

@test "as root on cgroup v1, linux.resources.devices is applied in order at linux.cgroupsPath" {
    [ -d /sys/fs/cgroup/devices ] || skip "no cgroup v1 devices controller on this host"
    local cg=/rltest-devices-$$
    mknod "$BUNDLE/rootfs/kmsg" c 1 11
    spec --arg cg "$cg" '.linux.cgroupsPath = $cg | .linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"rwm"},{"allow":true,"type":"b","major":8,"minor":20,"access":"rw"},{"allow":true,"type":"b","major":10,"minor":200,"access":"r"}]'
    args sh -c 'head -c0 /dev/null && echo null-ok; head -c1 /kmsg 2>&1'
    run_ctr
    echo "$output"
    [ "${lines[0]}" = null-ok ]
    [[ "${lines[1]}" == *"/kmsg: Operation not permitted" ]]
    # gone with the container
    [ ! -d "/sys/fs/cgroup/devices$cg" ]
    args sleep 30
    rl create -b "$BUNDLE" devs
    grep -qx "[0-9]*:devices:$cg" "/proc/$(rl state devs | jq .pid)/cgroup"
    [ "$(head -3 "/sys/fs/cgroup/devices$cg/devices.list")" = $'c 10:229 rwm\nb 8:20 rw\nb 10:200 r' ]
    rl delete -f devs
    [ ! -d "/sys/fs/cgroup/devices$cg" ]
}
