#!/usr/bin/env bats
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
