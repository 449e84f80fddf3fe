#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Hostile layers are refused as a whole and write nothing outside the layer.

load helpers

setup() { use_store; }
teardown() {
    store_teardown
    rm -f /tmp/rl-hostile-escape*
}

refused() { # refused FILE MESSAGE-PART
    run -125 env RL_LAYER_SIZE_LIMIT=16000000 "$RL" --root "$STORE" import "$IMAGES/hostile/$1" evil
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == *"$2"* ]]
    run -0 ls /tmp
    [[ "$output" != *rl-hostile-escape* ]]
    run -0 ls -A "$STORE/layers" "$STORE/tmp"
    [ "$output" = "$(printf '%s:\n\n%s:' "$STORE/layers" "$STORE/tmp")" ]
    run -1 rli image exists evil
}

@test "hostile layer: ../ paths" { refused dotdot.tar "'..' in path refused"; }
@test "hostile layer: absolute paths" { refused abs.tar "absolute path refused"; }
@test "hostile layer: a write through a symlink to /tmp" { refused symlink.tar "cannot extract through symlink 'link'"; }
@test "hostile layer: a write through a relative symlink climbing out" { refused symlink-dir.tar "cannot extract through symlink 'd'"; }
@test "hostile layer: a directory replaced by a symlink, then written through" { refused symlink-swap.tar "cannot extract through symlink 'b'"; }
@test "hostile layer: a hardlink to a file behind a symlink" { refused hardlink-symlink.tar "cannot extract through symlink 'l'"; }
@test "hostile layer: a hardlink to a path outside" { refused hardlink.tar "'..' in path refused"; }
@test "hostile layer: a hardlink to an absolute path" { refused hardlink-abs.tar "absolute path refused"; }
@test "hostile layer: a whiteout of .." { refused whiteout.tar "invalid whiteout refused"; }
@test "hostile layer: a tar bomb over the size limit" { refused bomb.tar.gz "larger than the limit of 16000000 bytes"; }

@test "device nodes are skipped with one warning; the rest is kept" {
    run -0 rli import "$IMAGES/hostile/device.tar" dev
    [ "${#lines[@]}" -eq 2 ]
    [[ "${lines[0]}" == "rl: warning: layer"*"skipped 2 device nodes"* ]]
    run -0 rli run --rm -v "$WORK/rootfs/bin/busybox:/bin/busybox:ro" --entrypoint /bin/busybox dev cat /file
    [ "$output" = kept ]
}
