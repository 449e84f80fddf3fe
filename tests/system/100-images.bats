#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Images as a user sees them: pull from the loopback registry, what lands in
# the container file by file, images/inspect/tag/rmi/prune/load/import.

load helpers

setup() { use_store; }
teardown() { store_teardown; }

# The merged view of /data and /opq inside a container, as the test image's
# layers say it must be (mkimage.py writes multi.expected).
contents_of() {
    rli run --rm "$1" sh -c 'find /data /opq | sort | while read f; do stat -c "%n %u %g %a %F %s" "$f"; done' |
        awk '$5=="directory"{$6="-"} {print}'
}

@test "pull: gzip layers land with owners, modes, whiteouts, opaque dirs, links as the layers say" {
    run -0 rli pull "$REG/multi:gzip"
    [[ "${lines[-1]}" =~ ^[0-9a-f]{64}$ ]]
    [[ "$output" == *"Copying blob"*"done"* ]]
    run -0 contents_of "$REG/multi:gzip"
    diff <(echo "$output") "$IMAGES/multi.expected"
    # deleted by a whiteout, hidden by an opaque dir
    run -1 rli run --rm "$REG/multi:gzip" test -e /data/gone
    run -1 rli run --rm "$REG/multi:gzip" test -e /opq/old1
    # one inode for the hardlinked pair; the symlink points where the tar said
    run -0 rli run --rm "$REG/multi:gzip" sh -c 'stat -c %i /data/hard1 /data/hard2 | uniq | wc -l; readlink /data/symlink'
    [ "${lines[0]}" = 1 ] && [ "${lines[1]}" = hard1 ]
    # setuid/setgid bits survive; security.capability is on the stored file
    run -0 rli run --rm "$REG/multi:gzip" stat -c %a /data/setuid /data/setgid-dir
    [ "${lines[0]}" = 4755 ] && [ "${lines[1]}" = 2775 ]
    run -0 sh -c "/usr/sbin/getcap $STORE/layers/*/diff/data/cap"
    [[ "$output" == *cap_net_raw=ep* ]]
}

@test "pull: zstd and uncompressed layers give the same tree" {
    for tag in zstd plain; do
        rli system reset -f
        run -0 rli pull -q "$REG/multi:$tag"
        run -0 contents_of "$REG/multi:$tag"
        diff <(echo "$output") "$IMAGES/multi.expected"
    done
}

@test "pull: owners on the host are the mapped subordinate ids" {
    rli pull -q "$REG/multi:gzip"
    # container uid 1000 → the first subordinate uid + 999; 0 → the user
    first=$(awk -F: -v u="$(id -un)" '$1 == u {print $2; exit}' /etc/subuid)
    run -0 sh -c "stat -c %u $STORE/layers/*/diff/data/owned1000"
    [ "$output" = $((first + 999)) ]
    run -0 sh -c "stat -c %u $STORE/layers/*/diff/data/hard1"
    [ "$output" = "$(id -u)" ]
}

@test "pull: layers shared between images are stored once" {
    rli pull -q "$REG/multi:gzip"
    rli pull -q "$REG/multi:zstd"
    run -0 ls "$STORE/layers"
    [ "${#lines[@]}" -eq 2 ]
    run -0 rli images --format json
    [ "$(echo "$output" | jq 'length')" = 1 ]
    [ "$(echo "$output" | jq -r '.[0].Names | length')" = 2 ]
}

@test "pull: an index gives this machine's image, --platform another, an absent one is named" {
    run -0 rli pull -q "$REG/multiarch"
    run -0 rli run --rm "$REG/multiarch" cat /platform
    [ "$output" = amd64 ]
    run -0 rli pull -q --platform linux/arm64 "$REG/multiarch"
    run -0 rli image inspect --format '{{.Architecture}}' "$REG/multiarch"
    [ "$output" = arm64 ]
    run -0 rli run --rm "$REG/multiarch" cat /platform
    [ "$output" = arm64 ]
    run -125 rli pull --platform linux/s390x "$REG/multiarch"
    [[ "$output" == *"no image for linux/s390x"*"linux/amd64, linux/arm64/v8"* ]]
    run -125 rli pull --platform linux "$REG/multiarch"
    [[ "$output" == *"expected OS/ARCH"* ]]
}

@test "images: table, -q, --digests, --format json" {
    rli pull -q "$REG/small"
    run -0 rli images
    [[ "${lines[0]}" == REPOSITORY*TAG*"IMAGE ID"*CREATED*SIZE ]]
    [[ "${lines[1]}" == "$REG/small"*latest* ]]
    id=$(rli images -q)
    [[ "$id" =~ ^[0-9a-f]{12}$ ]]
    run -0 rli images --digests
    [[ "${lines[1]}" == *sha256:* ]]
    run -0 rli images --format json
    [ "$(echo "$output" | jq -r '.[0].Id[0:12]')" = "$id" ]
    [ "$(echo "$output" | jq -r '.[0].RepoTags[0]')" = "$REG/small:latest" ]
    [[ "$(echo "$output" | jq -r '.[0].RepoDigests[0]')" == "$REG/small@sha256:"* ]]
}

@test "inspect: the fields podman shows" {
    rli pull -q "$REG/multi:gzip"
    run -0 rli inspect "$REG/multi:gzip"
    j=$output
    [ "$(echo "$j" | jq -r '.[0].Architecture')" = amd64 ]
    [ "$(echo "$j" | jq -r '.[0].Os')" = linux ]
    [ "$(echo "$j" | jq -r '.[0].RootFS.Type')" = layers ]
    [ "$(echo "$j" | jq -r '.[0].RootFS.Layers | length')" = 2 ]
    [ "$(echo "$j" | jq -r '.[0].RepoTags[0]')" = "$REG/multi:gzip" ]
    [[ "$(echo "$j" | jq -r '.[0].RepoDigests[0]')" == "$REG/multi@sha256:"* ]]
    [ "$(echo "$j" | jq -r '.[0].Config.WorkingDir')" = /data ]
    [ "$(echo "$j" | jq -r '.[0].Labels.test')" = rl ]
    [ "$(echo "$j" | jq -r '.[0].Size')" -gt 1000000 ]
    run -0 rli image inspect --format '{{.Id}}' "$REG/multi:gzip"
    [[ "$output" =~ ^[0-9a-f]{64}$ ]]
    run -125 rli image inspect --format '{{.Nope}}' "$REG/multi:gzip"
    [[ "$output" == *"no field '.Nope'"* ]]
    run -125 rli image inspect nosuchimage
    [ "$output" = "rl: nosuchimage: image not known" ]
    # plain inspect looks for a container of that name first
    run -125 rli inspect nosuchimage
    [ "$output" = "rl: no container or image named 'nosuchimage' (see rl ps -a, rl images)" ]
}

@test "tag, image exists, rmi untags then deletes, layers go with the last image" {
    rli pull -q "$REG/small"
    run -0 rli tag "$REG/small" mine:v1 other.example/x/y:2
    run -0 rli image exists mine:v1
    run -0 rli image exists localhost/mine:v1
    run -0 rli image exists other.example/x/y:2
    run -1 rli image exists mine:v2
    run -125 rli image exists 'Bad:Name'
    run -0 rli rmi mine:v1
    [ "$output" = "Untagged: localhost/mine:v1" ]
    run -0 rli image exists "$REG/small"
    run -0 rli rmi "$REG/small" other.example/x/y:2
    [[ "$output" == *"Deleted: "* ]]
    run -0 rli images -q
    [ -z "$output" ]
    run -0 ls "$STORE/layers"
    [ -z "$output" ]
    run -1 rli rmi nosuch
    [ "$output" = "rl: nosuch: image not known" ]
}

@test "rmi: an image used by a container needs -f, which removes the container" {
    rli pull -q "$REG/small"
    run -0 rli create --name keep "$REG/small" true
    run -2 rli rmi "$REG/small"
    [[ "$output" == *"in use by container"*"--force"* ]]
    run -0 rli rmi -f "$REG/small"
    run -0 ls "$STORE/containers"
    [ -z "$output" ]
}

@test "image prune: dangling images go, -a takes unused ones too" {
    rli pull -q "$REG/small"
    rli pull -q "$REG/multi:gzip"
    rli tag "$REG/small" keepme
    rli rmi "$REG/multi:gzip"
    run -0 rli image prune
    [ -z "$output" ]
    run -0 rli image prune -a
    [ "${#lines[@]}" -eq 1 ]
    run -0 rli images -q
    [ -z "$output" ]
}

@test "import: a rootfs tarball becomes a one-layer image that runs" {
    run -0 rli import "$WORK/rootfs.tar" demo
    [[ "$output" =~ ^[0-9a-f]{64}$ ]]
    run -0 rli images --format json
    [ "$(echo "$output" | jq -r '.[0].Names[0]')" = localhost/demo:latest ]
    run -0 rli run --rm demo echo hello from demo
    [ "$output" = "hello from demo" ]
    run -125 rli import /nonexistent.tar x
    [[ "$output" == "rl: open '/nonexistent.tar': no such file or directory" ]]
}

@test "load: docker-archive (gzip) and oci-archive written by skopeo" {
    skopeo copy -q --src-tls-verify=false "docker://$REG/multi:gzip" "docker-archive:$BATS_TEST_TMPDIR/d.tar:example.com/da:v1"
    gzip "$BATS_TEST_TMPDIR/d.tar"
    skopeo copy -q --src-tls-verify=false "docker://$REG/small" "oci-archive:$BATS_TEST_TMPDIR/o.tar:oa:v2"
    run -0 rli load -i "$BATS_TEST_TMPDIR/d.tar.gz"
    [ "$output" = "Loaded image: example.com/da:v1" ]
    run -0 rli load -i "$BATS_TEST_TMPDIR/o.tar"
    [ "$output" = "Loaded image: localhost/oa:v2" ]
    run -0 contents_of example.com/da:v1
    diff <(echo "$output") "$IMAGES/multi.expected"
    run -0 rli run --rm oa:v2
    [[ "$output" == *"uid=1000(alice)"* ]]
    echo junk > "$BATS_TEST_TMPDIR/junk.tar"
    run -125 rli load -i "$BATS_TEST_TMPDIR/junk.tar"
    [[ "$output" == rl:*junk.tar* ]]
}

@test "registries.conf: search registries, aliases, mirrors, blocked" {
    {
        echo "unqualified-search-registries = [\"nonexistent.invalid\", \"$REG\"]"
        cat "$CONTAINERS_REGISTRIES_CONF"
        cat <<CONF
[[registry]]
location = "mirrored.invalid"
[[registry.mirror]]
location = "$REG"
insecure = true
[[registry]]
location = "blocked.invalid"
blocked = true
[aliases]
"tiny" = "$REG/small"
CONF
    } > "$BATS_TEST_TMPDIR/r.conf"
    export CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/r.conf
    run -0 rli pull -q small
    run -0 rli image exists "$REG/small:latest"
    rli rmi -a
    run -0 rli pull -q tiny
    run -0 rli image exists "$REG/small:latest"
    run -0 rli pull -q mirrored.invalid/multi:gzip
    run -0 rli image exists mirrored.invalid/multi:gzip
    run -125 rli pull blocked.invalid/small
    [[ "$output" == *"blocked in registries.conf"* ]]
    echo 'unqualified-search-registries = [' > "$BATS_TEST_TMPDIR/bad.conf"
    CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/bad.conf run -125 rli pull small
    [[ "$output" == "rl: $BATS_TEST_TMPDIR/bad.conf:2:1: unterminated array" ]]
}

@test "pull: a sparse file stays sparse on disk" {
    rli pull -q "$REG/sparse"
    run -0 rli run --rm "$REG/sparse" sh -c 'stat -c %s /sparse; tail -c 4096 /sparse | head -c 3'
    [ "${lines[0]}" = 67108864 ]
    [ "${lines[1]}" = yyy ]
    # 8 KiB of data: far fewer than the 64 MiB of blocks a dense copy takes
    run -0 sh -c "stat -c %b $STORE/layers/*/diff/sparse"
    [ "$output" -lt 1024 ]
}

# An archive of one image under 20,000 tags: 5,000 manifest.json entries of
# four tags each (issue 14).
many_tags_archive() {
    skopeo copy -q --src-tls-verify=false "docker://$REG/small" "docker-archive:$BATS_TEST_TMPDIR/d.tar:x/y:z"
    mkdir "$BATS_TEST_TMPDIR/a"
    tar -C "$BATS_TEST_TMPDIR/a" -xf "$BATS_TEST_TMPDIR/d.tar"
    jq -c '.[0] as $e | [range(5000) as $i | $e + {RepoTags: [range(4) as $k | "example.com/many/t\($i):v\($k)"]}]' \
        "$BATS_TEST_TMPDIR/a/manifest.json" > "$BATS_TEST_TMPDIR/m.json"
    mv "$BATS_TEST_TMPDIR/m.json" "$BATS_TEST_TMPDIR/a/manifest.json"
    tar -C "$BATS_TEST_TMPDIR/a" -cf "$BATS_TEST_TMPDIR/many.tar" .
}

tag_count() {
    rli images --format json | jq '[.[].Names // [] | length] | add // 0'
}

@test "load of 20,000 tags: all of them, in one write; a killed load leaves all or none" {
    many_tags_archive
    # killed early: its tags are one write, so none or all of them are there
    "$RL" --root "$STORE" load -i "$BATS_TEST_TMPDIR/many.tar" > /dev/null &
    pid=$!
    sleep 1
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" || true
    n=$(tag_count)
    [ "$n" -eq 0 ] || [ "$n" -eq 20000 ]
    run -0 rli load -i "$BATS_TEST_TMPDIR/many.tar"
    [ "${#lines[@]}" -eq 20000 ]
    [ "${lines[-1]}" = "Loaded image: example.com/many/t4999:v3" ]
    [ "$(tag_count)" -eq 20000 ]
    run -0 rli run --rm example.com/many/t1234:v2 'echo ok'
    [ "$output" = ok ]
}
