#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Where rl keeps runtime state when XDG_RUNTIME_DIR is missing or wrong.

load helpers

setup() {
    make_bundle
    args sleep 30
}

teardown() {
    for id in $("$RL" oci list -q 2>/dev/null); do "$RL" oci delete -f "$id" >/dev/null 2>&1; done
}

@test "no XDG_RUNTIME_DIR: state goes to /tmp/rl-UID, created 0700" {
    # (a created container keeps create's stdio: send it elsewhere)
    env -u XDG_RUNTIME_DIR "$RL" oci create -b "$BUNDLE" r1 >/dev/null
    d=/tmp/rl-$(id -u)
    [ "$(stat -c '%a %u' "$d")" = "700 $(id -u)" ]
    [ -e "$d/rl/oci/r1/state.json" ]
    env -u XDG_RUNTIME_DIR "$RL" oci delete -f r1
}

@test "an XDG_RUNTIME_DIR of another user (after su) is not used" {
    XDG_RUNTIME_DIR=/root "$RL" oci create -b "$BUNDLE" r2 >/dev/null
    [ -e "/tmp/rl-$(id -u)/rl/oci/r2/state.json" ]
    XDG_RUNTIME_DIR=/root "$RL" oci delete -f r2
}

@test "a usable XDG_RUNTIME_DIR is used" {
    mkdir -m 700 "$BATS_TEST_TMPDIR/xdg"
    XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg "$RL" oci create -b "$BUNDLE" r3 >/dev/null
    [ -e "$BATS_TEST_TMPDIR/xdg/rl/oci/r3/state.json" ]
    XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg "$RL" oci delete -f r3
}

@test "a /tmp/rl-UID with loose permissions is tightened to 0700" {
    d=/tmp/rl-$(id -u)
    mkdir -p "$d"
    chmod 755 "$d"
    env -u XDG_RUNTIME_DIR "$RL" oci list >/dev/null
    [ "$(stat -c %a "$d")" = 700 ]
}
