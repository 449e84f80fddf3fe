#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The rootless bundles other tools write, run unmodified as the unprivileged
# user: `runc spec --rootless` (ambient = permitted, no inheritable set),
# `crun spec --rootless` (a user namespace with no id mappings),
# `rl oci spec --rootless`. Capabilities must be what runc gives.

load helpers

# A bundle with a busybox rootfs and the config GEN writes (unmodified).
gen_bundle() {
    local gen=$1
    BUNDLE=$BATS_TEST_TMPDIR/$gen
    mkdir -p "$BUNDLE/rootfs"
    tar -C "$BUNDLE/rootfs" -xf "$WORK/rootfs.tar"
    case $gen in
        rl) (cd "$BUNDLE" && "$RL" oci spec --rootless 2>/dev/null) ;;
        *) (cd "$BUNDLE" && "$gen" spec --rootless) ;;
    esac
    export ROOT=$BATS_TEST_TMPDIR/state
}

# Run the bundle's own process (sh; a terminal where the config asks for
# one) under RUNTIME, feeding it commands on stdin; output in $output.
in_bundle() {
    local runtime=$1 id=$2 cmds=$3
    run bash -c "cd '$BUNDLE' && printf '%s\nexit\n' '$cmds' |
        script -qec '$runtime --root $BATS_TEST_TMPDIR/state-\$(basename $runtime) run $id' /dev/null"
}

caps_of() { # the Cap* lines of $output, CR stripped
    printf '%s\n' "$output" | tr -d '\r' | grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):'
}

# has_map CID HOSTID [SIZE]: $output (CR stripped) holds that id map line
has_map() {
    local size=${3:+ +$3\$}
    tr -d '\r' <<<"$output" | grep -Eq "^ +$1 +$2${size:- +}"
}

subuid_start() { grep "^$(id -un):" /etc/subuid | head -1 | cut -d: -f2; }

@test "runc spec --rootless: runs as the user, caps as runc gives them (ambient not raised)" {
    gen_bundle runc
    jq -e '.process.capabilities.ambient | length > 0' "$BUNDLE/config.json"
    jq -e '.process.capabilities.inheritable == null' "$BUNDLE/config.json"
    in_bundle runc r1 'grep Cap /proc/self/status'
    [ "$status" -eq 0 ]
    want=$(caps_of)
    in_bundle "$WORK/bin/rl-oci" r1 'grep Cap /proc/self/status; id -u; cat /proc/self/uid_map'
    [ "$status" -eq 0 ]
    [ "$(caps_of)" = "$want" ]
    grep -q 'CapAmb:.0000000000000000' <<<"$output"
    has_map 0 "$(id -u)" 1
    [ ! -e "$ROOT/r1" ]
}

@test "crun spec --rootless: a user namespace without mappings gets crun's default" {
    gen_bundle crun
    jq -e '.linux.uidMappings == null and .linux.gidMappings == null' "$BUNDLE/config.json"
    in_bundle "$WORK/bin/rl-oci" c1 'grep Cap /proc/self/status; cat /proc/self/uid_map /proc/self/gid_map'
    [ "$status" -eq 0 ]
    # 0 → the user, 1.. → the subordinate range (crun's default)
    has_map 0 "$(id -u)" 1
    has_map 1 "$(subuid_start)"
    has_map 0 "$(id -g)" 1
    # the same three capabilities runc's rootless spec lists, none ambient
    caps_of | grep -q 'CapEff:.0000000020000420'
    caps_of | grep -q 'CapBnd:.0000000020000420'
    caps_of | grep -q 'CapAmb:.0000000000000000'
}

@test "crun spec --rootless with process.user.uid 5: that uid is the user, the rest subordinate" {
    gen_bundle crun
    jq '.process.user.uid = 5 | .process.user.gid = 5' "$BUNDLE/config.json" > "$BUNDLE/c" &&
        mv "$BUNDLE/c" "$BUNDLE/config.json"
    in_bundle "$WORK/bin/rl-oci" c5 'id -u; cat /proc/self/uid_map'
    [ "$status" -eq 0 ]
    sub=$(subuid_start)
    has_map 0 "$sub" 5
    has_map 5 "$(id -u)" 1
    has_map 6 "$((sub + 5))"
}

@test "rl oci spec --rootless: runs, caps as runc gives for the same bundle" {
    gen_bundle rl
    in_bundle runc o1 'grep Cap /proc/self/status'
    [ "$status" -eq 0 ]
    want=$(caps_of)
    [ -n "$want" ]
    in_bundle "$WORK/bin/rl-oci" o1 'grep Cap /proc/self/status'
    [ "$status" -eq 0 ]
    [ "$(caps_of)" = "$want" ]
}

@test "an ambient capability outside permitted is left out; the process still runs" {
    gen_bundle runc
    jq '.process.terminal = false | .process.args = ["grep", "CapAmb", "/proc/self/status"] |
        .process.capabilities.ambient += ["CAP_SYS_ADMIN"]' "$BUNDLE/config.json" > "$BUNDLE/c" &&
        mv "$BUNDLE/c" "$BUNDLE/config.json"
    run -0 "$WORK/bin/rl-oci" --root "$ROOT" run -b "$BUNDLE" a1
    [ "$output" = "CapAmb:	0000000000000000" ]
}
