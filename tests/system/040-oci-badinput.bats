#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Bad input: one clear line, a non-zero exit, nothing left in the state dir.

load helpers

setup() {
    make_bundle
    args true
}

# The command fails with exit 125, one line of output matching $1, and the
# state dir holds nothing afterwards.
fails_cleanly() {
    local want=$1
    shift
    run "$@"
    echo "status=$status output=$output"
    [ "$status" -eq 125 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: "* ]]
    [[ "$output" == *"$want"* ]]
    [ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "malformed JSON names line and column" {
    printf '{\n  "ociVersion": "1.0.2",\n  "process": {,\n}\n' > "$BUNDLE/config.json"
    fails_cleanly "config.json: invalid JSON at line 3 column" rl create -b "$BUNDLE" b1
}

@test "a wrong type names the JSON path" {
    spec '.process.args = "sh"'
    fails_cleanly "config.json: process.args: expected an array, got a string" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.process.args = ["sh", 3]'
    fails_cleanly "process.args[1]: expected a string" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.mounts[2].options = [true]'
    fails_cleanly "mounts[2].options[0]: expected a string" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.process.user.uid = -1'
    fails_cleanly "process.user.uid: -1 out of range" rl create -b "$BUNDLE" b1
}

@test "missing required fields are named" {
    spec 'del(.ociVersion)'
    fails_cleanly "ociVersion: required but missing" rl create -b "$BUNDLE" b1
    make_bundle
    spec 'del(.root)'
    fails_cleanly "root: required but missing" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.process.args = []'
    fails_cleanly "process.args: must not be empty" rl create -b "$BUNDLE" b1
    make_bundle
    spec 'del(.process)'
    fails_cleanly "process: required" rl create -b "$BUNDLE" b1
}

@test "a missing rootfs is named" {
    rm -rf "$BUNDLE/rootfs"
    fails_cleanly "root.path: rootfs '$BUNDLE/rootfs': no such file or directory" rl create -b "$BUNDLE" b1
}

@test "an unknown namespace or capability is named" {
    spec '.linux.namespaces += [{"type":"bogus"}]'
    fails_cleanly "linux.namespaces[7].type: unknown namespace 'bogus'" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.process.capabilities.bounding += ["CAP_FLY"]'
    fails_cleanly "process.capabilities.bounding[11]: unknown capability 'CAP_FLY'" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.linux.namespaces += [{"type":"pid"}]'
    fails_cleanly "namespace 'pid' listed twice" rl create -b "$BUNDLE" b1
}

@test "bad seccomp settings are named" {
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_MAYBE"}'
    fails_cleanly "linux.seccomp.defaultAction: unknown action 'SCMP_ACT_MAYBE'" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]}'
    fails_cleanly "unknown architecture 'SCMP_ARCH_VAX'" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}'
    fails_cleanly "linux.seccomp.syscalls[0].args[0].index" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_NOTIFY"}]}'
    fails_cleanly "SCMP_ACT_NOTIFY needs listenerPath" rl create -b "$BUNDLE" b1
}

@test "invalid container ids are refused" {
    fails_cleanly "invalid container id: empty" rl create -b "$BUNDLE" ""
    fails_cleanly "invalid container id" rl create -b "$BUNDLE" "a/b"
    fails_cleanly "invalid container id '/'" rl create -b "$BUNDLE" "/"
    fails_cleanly "invalid container id '..'" rl create -b "$BUNDLE" ".."
    fails_cleanly "longer than 1024" rl create -b "$BUNDLE" "$(printf 'x%.0s' $(seq 1025))"
}

@test "a duplicate id is refused and the first container is untouched" {
    args sleep 30
    rl create -b "$BUNDLE" dup
    pid=$(rl state dup | jq .pid)
    run rl create -b "$BUNDLE" dup
    [ "$status" -eq 125 ]
    [ "$output" = "rl: container 'dup' already exists" ]
    [ "$(rl state dup | jq .pid)" = "$pid" ]
    [ "$(status_of dup)" = created ]
}

@test "a bundle that does not exist is named" {
    fails_cleanly "bundle '$BATS_TEST_TMPDIR/nowhere': no such file or directory" rl create -b "$BATS_TEST_TMPDIR/nowhere" b1
}

@test "a bad bind source and a bad mount are named with their index" {
    spec '.mounts += [{"destination":"/x","type":"bind","source":"/does/not/exist","options":["bind"]}]'
    fails_cleanly "mounts[7] ('/x'): bind source '/does/not/exist': no such file or directory" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.mounts += [{"destination":"/x","type":"nosuchfs","source":"x"}]'
    fails_cleanly "mounts[7] ('/x'): mount nosuchfs on '/x': no such device" rl create -b "$BUNDLE" b1
    make_bundle
    spec '.mounts += [{"destination":"/x","type":"tmpfs","source":"tmpfs","options":["idmap"]}]'
    fails_cleanly "mount option 'idmap' is not supported" rl create -b "$BUNDLE" b1
}

@test "a mount destination cannot escape the rootfs through a symlink" {
    ln -s /../../../../tmp "$BUNDLE/rootfs/escape"
    spec '.mounts += [{"destination":"/escape/inside","type":"tmpfs","source":"tmpfs"}]'
    args sh -c 'ls -d /tmp/inside'
    rl run -b "$BUNDLE" esc
    # the directory was made under the rootfs's own /tmp, not the host's
    [ -d "$BUNDLE/rootfs/tmp/inside" ]
    [ ! -e /tmp/inside ]
}

@test "requested resource limits that cannot be applied are refused" {
    spec '.linux.resources = {"memory":{"limit":268435456}}'
    run rl create -b "$BUNDLE" lim
    [ "$status" -eq 125 ]
    [[ "$output" == "rl: linux.resources.memory.limit: cannot apply resource limits"* ]]
    [ -z "$(ls -A "$ROOT")" ]
}

@test "cgroup settings that are not limits do not stop a rootless container" {
    spec '.linux.resources = {"devices":[{"allow":false,"access":"rwm"}]} | .linux.cgroupsPath = "/rl-test"'
    run rl run -b "$BUNDLE" nolim
    [ "$status" -eq 0 ]
}

@test "usage errors: unknown command, missing id, bad flags" {
    run "$RL" oci frobnicate
    [ "$status" -eq 125 ]
    [ "$output" = "rl: oci: unknown command 'frobnicate' (see 'rl oci --help')" ]
    run rl create
    [ "$status" -eq 125 ]
    [ "$output" = "rl: oci create: missing container id" ]
    run rl create --preserve-fds lots x
    [ "$status" -eq 125 ]
    [[ "$output" == *"--preserve-fds: 'lots' is not a number"* ]]
}

@test "device rules: one denying a device is refused rootless, deny-everything and allows are taken" {
    spec '.linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":false,"type":"c","major":1,"minor":3,"access":"rw"}]'
    fails_cleanly "linux.resources.devices[1]: cannot deny 'c 1:3 rw' without root" rl run -b "$BUNDLE" c1
    spec '.linux.resources.devices = [{"allow":true,"type":"x"}]'
    fails_cleanly "linux.resources.devices[0].type: 'x': expected a, c or b" rl run -b "$BUNDLE" c1
    spec '.linux.resources.devices = [{"allow":true,"access":"rwx"}]'
    fails_cleanly "linux.resources.devices[0].access: 'rwx': only r, w and m" rl run -b "$BUNDLE" c1
    spec '.linux.resources.devices = [{"type":"a"}]'
    fails_cleanly "linux.resources.devices[0].allow: required" rl run -b "$BUNDLE" c1
    spec '.linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"rwm"}]'
    args sh -c 'echo x > /dev/null && echo ok'
    run_ctr -0
    [ "$output" = ok ]
}
