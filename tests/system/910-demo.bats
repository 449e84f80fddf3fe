#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# make demo as a new user meets it: a fresh machine (device modes as Debian
# leaves them, 0600), run as root as the README says; and as a plain user,
# who is told in one line what to ask an admin for.

load helpers

SRC=${RL_SRC:?RL_SRC must point at the source tree}
DEMO_USER=${RL_TEST_USER:-rltest}

teardown() {
    chmod 0666 /dev/net/tun /dev/fuse
}

@test "make demo on a fresh machine: the web page comes from a rootless container" {
    chmod 0600 /dev/net/tun /dev/fuse
    run -0 make -s -C "$SRC" demo
    [[ "$output" == *"uid 0, pid 1"* ]]
    [[ "$output" == *"<h1>hello from a rootless rl container</h1>"* ]]
    [[ "$output" == *'$ rl logs rl-demo-web'*"response:200"* ]]
    [[ "$output" == *"demo done"* ]]
    # what distributions ship, so that the user's next rl run works too
    [ "$(stat -c %a /dev/net/tun)" = 666 ]
    [ "$(stat -c %a /dev/fuse)" = 666 ]
    # nothing left running or stored for the demo container
    run -0 runuser -u "$DEMO_USER" -- env -i PATH=/usr/bin:/bin HOME="$(getent passwd "$DEMO_USER" | cut -d: -f6)" \
        "$SRC/build/rl" ps -a --format '{{.Names}}'
    [[ "$output" != *rl-demo-web* ]]
    ! pgrep -u "$DEMO_USER" -f 'httpd -f -vv'
}

@test "the demo as a plain user on a fresh machine: one line naming what to ask an admin for" {
    chmod 0600 /dev/net/tun /dev/fuse
    d=$(mktemp -d /tmp/rl-demo-test-XXXXXX)
    cp "$SRC/build/rl" "$SRC/contrib/demo.sh" "$d/"
    chmod -R a+rx "$d"
    run -1 runuser -u "$DEMO_USER" -- env -i PATH=/usr/bin:/bin RL_DEMO_RL="$d/rl" sh "$d/demo.sh"
    rm -rf "$d"
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: /dev/net/tun is not readable and writable by you"*"chmod 0666 /dev/net/tun"* ]]
}
