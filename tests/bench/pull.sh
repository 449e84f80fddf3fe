#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Pull rows of make bench, sourced by bench.sh (for div and ratio), as the
# test user: rl (ISA-L and zlib inflate) against podman, each from an empty
# store, for the images the root part pushed to the bench registry:
# RL_BENCH_BIG (~250 MB in 2 layers: inflating) and RL_BENCH_MANY (a
# Debian with Python, ~11k files: creating files).

# Both engines' stores on RL_BENCH_FS when bench.sh made it (a journaled
# ext4, see there), else in the run's own dir.
FS=${RL_BENCH_FS:-$W}
PODMAN_STORE="--root $FS/podman/root --runroot $FS/podman/run"
# a rootless podman joins its pause process's mount namespace, which may
# predate the mount: start from a new one
[ -n "${RL_BENCH_FS:-}" ] && command -v podman >/dev/null && podman system migrate >/dev/null 2>&1

pull_rows() { # TITLE IMAGE KEY
    local title=$1 image=$2 key=$3 PR=${RL_BENCH_PULL_RUNS:-3} args=() i m
    local pnames=("rl pull (ISA-L inflate)" "rl pull (zlib inflate)")
    local pcmds=("$RL --root $FS/ps pull -q $image" "env RL_INFLATE=zlib $RL --root $FS/ps pull -q $image")
    local pprep=("$RL --root $FS/ps system reset -f" "$RL --root $FS/ps system reset -f")
    if command -v podman >/dev/null; then
        pnames+=("podman pull"); pcmds+=("podman $PODMAN_STORE pull -q $image"); pprep+=("podman $PODMAN_STORE rmi -af")
    fi
    for i in "${!pcmds[@]}"; do args+=(--prepare "${pprep[$i]}" "${pcmds[$i]}"); done
    hyperfine -N --runs "$PR" --export-json "$W/p.json" "${args[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; return 1; }
    printf '\n%-42s %10s %10s %12s\n' "pull $title" "mean s" "± s" "vs rl"
    local rl_p
    rl_p=$(jq '.results[0].mean' "$W/p.json")
    for i in "${!pnames[@]}"; do
        m=$(jq ".results[$i].mean" "$W/p.json")
        printf '%-42s %10.2f %10.2f %11.2fx\n' "${pnames[$i]}" "$m" "$(jq ".results[$i].stddev" "$W/p.json")" "$(div "$m" "$rl_p")"
    done
    if [ "${#pnames[@]}" -gt 2 ]; then
        m=$(jq '.results[2].mean' "$W/p.json")
        printf 'podman / rl = %.2f (target: at least 4)\n' "$(div "$m" "$rl_p")"
        ratio "$key" "$(div "$rl_p" "$m")"
    fi
    "$RL" --root "$FS/ps" system reset -f
}

[ -n "${RL_BENCH_BIG:-}" ] && pull_rows "$RL_BENCH_BIG (~250 MB, 2 layers)" "$RL_BENCH_BIG" pull_big/podman
[ -n "${RL_BENCH_MANY:-}" ] && pull_rows "$RL_BENCH_MANY (~11k files, 2 layers)" "$RL_BENCH_MANY" pull_many/podman
if command -v podman >/dev/null; then
    podman $PODMAN_STORE rmi -af >/dev/null 2>&1
    # no podman namespace outlives the bench holding that file system
    [ -n "${RL_BENCH_FS:-}" ] && podman system migrate >/dev/null 2>&1
fi
true
