# SPDX-License-Identifier: Apache-2.0
# Shared setup for rl's system tests. They run as an unprivileged user with
# subordinate ids (make check arranges it); every container is real.

bats_require_minimum_version 1.5.0

RL=${RL_BIN:?RL_BIN must point at the rl binary}
WORK=${RL_WORK:?RL_WORK must point at the make check work dir}
RECVTTY=$WORK/bin/recvtty

# A fresh bundle: busybox rootfs + `rl oci spec` output, in the test's tmpdir.
make_bundle() {
    BUNDLE=$BATS_TEST_TMPDIR/bundle
    rm -rf "$BUNDLE"
    mkdir -p "$BUNDLE/rootfs"
    tar -C "$BUNDLE/rootfs" -xf "$WORK/rootfs.tar"
    (cd "$BUNDLE" && "$RL" oci spec 2>/dev/null)
    # a fresh runtime root per test: nothing leaks between tests
    export ROOT=$BATS_TEST_TMPDIR/state
}

# Edit config.json with a jq filter: spec '.process.args = ["true"]'
spec() {
    local tmp=$BUNDLE/config.json.tmp
    jq "$@" "$BUNDLE/config.json" > "$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# Set the process args: args sh -c 'echo hi'
args() {
    local json="" a
    # one JSON string per argument, newlines and all (jq --args would eat "-c")
    for a in "$@"; do json="$json${json:+,}$(printf '%s' "$a" | jq -Rs .)"; done
    spec --argjson a "[$json]" '.process.args = $a'
}

rl() {
    "$RL" oci --root "$ROOT" "$@"
}

# rl oci run in the bundle; output and status in $output/$status (bats run).
# run_ctr [-N] [ID]: -N asserts the exit code N (as bats' run -N does).
run_ctr() {
    local want=()
    [[ "${1:-}" == -[0-9]* ]] && want=("$1") && shift
    run "${want[@]}" "$RL" oci --root "$ROOT" run -b "$BUNDLE" "${1:-ctr$$}"
}

status_of() {
    rl state "$1" | jq -r .status
}

# Wait until a container reaches a status (up to ~5 s).
wait_status() {
    local id=$1 want=$2 i
    for i in $(seq 50); do
        [ "$(status_of "$id")" = "$want" ] && return 0
        sleep 0.1
    done
    echo "container $id: status $(status_of "$id"), wanted $want" >&2
    return 1
}

# The process is gone: no such pid, or only an exit status waiting for its
# reaper (the orphaned init of a `create` belongs to the host's init).
no_process() {
    local st
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
    [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

teardown_containers() {
    [ -d "${ROOT:-/nonexistent}" ] || return 0
    local id
    for id in $(rl list -q 2>/dev/null); do rl delete --force "$id" >/dev/null 2>&1; done
}

teardown() {
    teardown_containers
}

# --- images (issue 3): a store per test, the loopback registry and its fronts ---
REG=127.0.0.1:${RL_REG_BASE:-55000}
IMAGES=$WORK/images
# reg_port N: 1 token, 2 flaky, 3 corrupt, 4 slow, 5 count, 6 fake, 7 redirect, 8 lie
reg_port() { echo "127.0.0.1:$((${RL_REG_BASE:-55000} + $1))"; }

# Every registry of the suite is plain http: say so in registries.conf, as
# a podman user would.
# use_store, with the small test image pulled into it as $IMG
use_small_image() {
    use_store
    rli pull -q "$REG/small" >/dev/null
    IMG=$REG/small
}

use_store() {
    export STORE=$BATS_TEST_TMPDIR/store
    export CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/registries.conf
    local i
    : > "$CONTAINERS_REGISTRIES_CONF"
    for i in 0 1 2 3 4 5 6 7 8; do
        printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$(reg_port $i)" >> "$CONTAINERS_REGISTRIES_CONF"
    done
}

rli() {
    "$RL" --root "$STORE" "$@"
}

# Files in a store belong to subordinate ids: only rl can remove them.
store_teardown() {
    if [ -n "${STORE:-}" ] && [ -d "$STORE" ]; then
        "$RL" --root "$STORE" system reset -f
    fi
}
