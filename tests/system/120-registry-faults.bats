#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Registries that ask for tokens, fail, lie, or are cut off; many pulls at once.

load helpers

setup() { use_store; }
teardown() { store_teardown; }

@test "token registry: anonymous is refused; auth.json credentials get a bearer token" {
    run -125 rli pull "$(reg_port 1)/small"
    [[ "${lines[-1]}" == *"access denied by the token server"* ]]
    printf '{"auths":{"%s":{"auth":"%s"}}}' "$(reg_port 1)" "$(printf rl:secret | base64)" > "$BATS_TEST_TMPDIR/auth.json"
    REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/auth.json run -0 rli pull -q "$(reg_port 1)/small"
    run -0 rli run --rm "$(reg_port 1)/small" 'echo in'
    # the same credentials from ~/.config/containers/auth.json, as podman keeps them
    rli rmi -a
    mkdir -p "$BATS_TEST_TMPDIR/home/.config/containers"
    cp "$BATS_TEST_TMPDIR/auth.json" "$BATS_TEST_TMPDIR/home/.config/containers/auth.json"
    HOME=$BATS_TEST_TMPDIR/home run -0 "$RL" --root "$STORE" pull -q "$(reg_port 1)/small"
    printf '{"auths":{"%s":{"auth":"%s"}}}' "$(reg_port 1)" "$(printf rl:wrong | base64)" > "$BATS_TEST_TMPDIR/bad.json"
    rli rmi -a
    REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/bad.json run -125 rli pull -q "$(reg_port 1)/small"
    echo '{"auths": [' > "$BATS_TEST_TMPDIR/broken.json"
    REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/broken.json run -125 rli pull -q "$(reg_port 1)/small"
    [[ "$output" == "rl: $BATS_TEST_TMPDIR/broken.json"* ]]
}

@test "flaky registry: every request failing twice with 503 still pulls (retries with backoff)" {
    run -0 rli pull -q "$(reg_port 2)/multi:gzip"
    run -0 rli run --rm "$(reg_port 2)/multi:gzip" cat /data/added
    [ "$output" = "new in layer 2" ]
}

@test "corrupt blob: refused naming the digest, nothing stored; a good registry then works" {
    run -125 rli pull "$(reg_port 3)/multi:gzip"
    [[ "${lines[-1]}" =~ ^rl:\ blob\ sha256:[0-9a-f]{64}:\ digest\ mismatch ]]
    bad=$(echo "${lines[-1]}" | cut -d' ' -f3 | tr -d :)
    bad=sha256:${bad#sha256}
    run -0 rli images -q
    [ -z "$output" ]
    run -0 ls -A "$STORE/tmp"
    [ -z "$output" ]
    for l in "$STORE"/layers/*; do
        [ -e "$l" ] || continue
        # a layer kept is one that verified (the other layer, downloaded in
        # parallel), never the corrupt blob
        [ "$(jq -r .blob "$l/layer.json")" != "$bad" ]
    done
    run -0 rli pull -q "$REG/multi:gzip"
    run -0 rli run --rm "$REG/multi:gzip" cat /data/added
}

@test "malformed manifests: one clear error each, nothing stored" {
    for c in badjson unknownmedia schema1 baddigest huge; do
        run -125 rli pull -q "$(reg_port 6)/bad:$c"
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == rl:* ]]
    done
    run -125 rli pull -q "$(reg_port 6)/bad:unknownmedia"
    [ "$output" = "rl: manifest: layers[0].mediaType: unknown layer media type 'application/x-evil'" ]
    run -125 rli pull -q "$(reg_port 6)/bad:huge"
    [[ "$output" == *"larger than 4194304 bytes"* ]]
    run -125 rli pull -q "$(reg_port 6)/bad:missing"
    [[ "$output" == *"manifest not found"* ]]
    run -125 rli pull 'UPPER/case'
    [[ "$output" == *"repository name must be lowercase"* ]]
    run -0 rli images -q
    [ -z "$output" ]
}

@test "eight pulls of one image at once: all succeed, each layer downloaded once" {
    : > "$IMAGES/count.log"
    for i in 1 2 3 4 5 6 7 8; do
        "$RL" --root "$STORE" pull -q "$(reg_port 5)/multi:gzip" > "$BATS_TEST_TMPDIR/p$i" 2>&1 &
    done
    wait
    for i in 1 2 3 4 5 6 7 8; do [[ "$(cat "$BATS_TEST_TMPDIR/p$i")" =~ ^[0-9a-f]{64}$ ]]; done
    # the config is fetched by each; each layer blob once
    run -0 sh -c "grep -c . '$IMAGES/count.log'"
    layers=$(rli image inspect --format '{{json .RootFS.Layers}}' "$(reg_port 5)/multi:gzip" | jq length)
    [ "$layers" -eq 2 ]
    for d in $(skopeo inspect --raw --tls-verify=false "docker://$REG/multi:gzip" | jq -r '.layers[].digest'); do
        [ "$(grep -c "$d" "$IMAGES/count.log")" -eq 1 ]
    done
    run -0 rli images -q
    [ "${#lines[@]}" -eq 1 ]
}

@test "kill -9 mid-download: no partial image; the next pull cleans up and succeeds" {
    # the slow front sends 16 KiB every 50 ms
    setsid "$RL" --root "$STORE" pull -q "$(reg_port 4)/multi:gzip" > /dev/null 2>&1 &
    pid=$!
    for i in $(seq 100); do
        ls "$STORE"/tmp/layer-* >/dev/null 2>&1 && break
        sleep 0.1
    done
    sleep 0.5
    kill -9 -- -"$pid"
    wait "$pid" || true
    run -0 rli images -q
    [ -z "$output" ]
    run -0 rli pull -q "$REG/multi:gzip"
    run -0 ls -A "$STORE/tmp"
    [ -z "$output" ]
    run -0 rli run --rm "$REG/multi:gzip" cat /data/added
}

@test "leftovers of a killed rl (load, probe, removal) are cleaned; a live rl's are not" {
    sh -c true & dead=$!
    wait "$dead"
    mkdir -p "$STORE/tmp/load-$dead/blobs" "$STORE/tmp/rm-abc-$dead/upper" "$STORE/tmp/load-$$"
    echo x > "$STORE/tmp/load-$dead/blobs/f"
    run -0 rli image prune
    run -0 ls -A "$STORE/tmp"
    [ "$output" = "load-$$" ]
    rmdir "$STORE/tmp/load-$$"
}

@test "a 60-layer image mounts and shows every layer" {
    run -0 rli run --rm "$REG/deep" sh -c 'ls /deep | wc -l; cat /deep/59'
    [ "${lines[-2]}" = 59 ]
    [ "${lines[-1]}" = 59 ]
}

@test "blob redirects to another host are followed; the token is not sent along" {
    run -0 rli pull -q "$(reg_port 7)/multi:gzip"
    run -0 rli run --rm "$(reg_port 7)/multi:gzip" cat /data/added
    [ "$output" = "new in layer 2" ]
}

@test "--tls-verify=false reaches a plain-http registry registries.conf does not mark" {
    export CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/empty.conf
    : > "$CONTAINERS_REGISTRIES_CONF"
    run -125 rli pull -q "$REG/small"
    [[ "$output" == "rl: $REG:"* ]]
    run -0 rli pull -q --tls-verify=false "$REG/small"
    run -125 rli pull --tls-verify=maybe "$REG/small"
    [ "$output" = "rl: --tls-verify: 'maybe' is not true or false" ]
}

@test "pull on a terminal draws a progress bar per layer" {
    run -0 script -qec "'$RL' --root '$STORE' pull '$REG/multi:gzip'" /dev/null
    [[ "$output" == *"Copying blob "*"["*"MiB"* ]]
    [[ "$output" == *"Writing manifest to image destination"* ]]
}

# Issue 14: a registry whose lengths lie. Each case is refused in one line,
# quickly, with nothing stored; a stall is retried, then named.
lie_refused() {
    local c=$1 want=$2
    run -125 rli pull -q "$(reg_port 8)/lie-$c"
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: "*"$want"* ]]
    run -0 rli images -q
    [ -z "$output" ]
    run -0 ls -A "$STORE/tmp"
    [ -z "$output" ]
    run -0 sh -c "ls '$STORE/layers' 2>/dev/null | wc -l"
    [ "$output" -eq 0 ]
}

@test "a blob longer or shorter than its descriptor says is refused like a digest mismatch" {
    lie_refused size3 "the registry sends more than the 3 bytes its descriptor gives: refused, nothing stored"
    lie_refused sizehuge "bytes where its descriptor gives 4611686018427387904: refused, nothing stored"
}

@test "a blob, config or manifest without end is cut off at its size or cap" {
    lie_refused endlessblob "the registry sends more than the"
    lie_refused endlessconfig "the registry sends more than the"
    lie_refused endlessmanifest "answer larger than 4194304 bytes"
}

@test "a registry that goes silent mid-transfer is retried, then named in one line" {
    export RL_REGISTRY_STALL_TIMEOUT=1
    SECONDS=0
    lie_refused stallmanifest "/lie-stallmanifest/manifests/latest: the transfer stalled (no data for 1 s)"
    lie_refused stallblob "the transfer stalled (no data for 1 s)"
    # retried (4 manifest attempts, 5 blob attempts), yet bounded
    [ "$SECONDS" -lt 60 ]
    # the same image from an honest registry then pulls
    run -0 rli pull -q "$REG/small"
}

@test "kill -9 of rl alone mid-extraction: its storage children die too; the next pull removes the staging dirs" {
    "$RL" --root "$STORE" pull -q "$(reg_port 4)/multi:gzip" > /dev/null 2>&1 &
    pid=$!
    for i in $(seq 100); do
        ls "$STORE"/tmp/layer-* >/dev/null 2>&1 && break
        sleep 0.1
    done
    sleep 0.5
    run -0 sh -c "ls -d '$STORE'/tmp/layer-*"
    kill -9 "$pid"
    wait "$pid" || true
    sleep 0.5
    # nothing of that pull still runs (an orphan would hold the layer's lock)
    run -1 pgrep -u "$(id -u)" -f -- "--root $STORE pull"
    run -0 rli pull -q "$REG/multi:gzip"
    run -0 ls -A "$STORE/tmp"
    [ -z "$output" ]
}

@test "a pull that cannot reach its registry says so in one line, without -q too" {
    printf '[[registry]]\nlocation = "127.0.0.1:9"\ninsecure = true\n' >> "$CONTAINERS_REGISTRIES_CONF"
    run -125 rli pull 127.0.0.1:9/nothing
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: 127.0.0.1:9: "* ]]
    run -0 rli pull "$REG/small"
    [ "${lines[0]}" = "Trying to pull $REG/small:latest..." ]
}
