#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# make bench: rl against the namespace floor, bwrap, crun, runc and podman,
# all in one run on this machine, as an unprivileged user. Prints mean
# times and ratios; never fails on speed (benchmarks are not tests).
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
RUNS=${RL_BENCH_RUNS:-40}

if [ "$(id -u)" = 0 ]; then
    # rootless is the product: measure as the test user (make check makes it)
    user=${RL_TEST_USER:-rltest}
    id "$user" >/dev/null 2>&1 || { echo "rl: bench: no user '$user'; run make check once, or set RL_TEST_USER" >&2; exit 1; }
    d=$(mktemp -d /tmp/rl-bench-XXXXXX)
    cp -r build/rl tests/bench/*.sh tests/bench/baseline "$d/"
    chmod -R a+rX "$d"
    chown "$user" "$d"
    # the pull benchmark's registry: loopback, its data kept between runs
    regdir=/var/tmp/rl-bench-registry
    mkdir -p "$regdir"
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:56000\n' "$regdir" > "$regdir/config.yml"
    docker-registry serve "$regdir/config.yml" > "$regdir/log" 2>&1 &
    regpid=$!
    for _ in $(seq 100); do curl -fs http://127.0.0.1:56000/v2/ >/dev/null 2>&1 && break; sleep 0.1; done
    echo "(building or finding the pull images in the bench registry)"
    big=$(python3 tests/bench/pushimage.py 127.0.0.1:56000 big / "usr/bin" "usr/lib/gcc usr/lib/python3 usr/lib/python3.11") || big=""
    many="" mdir=/var/tmp/rl-bench-manyfile
    if tests/bench/manyfile.sh "$mdir"; then
        many=$(python3 tests/bench/pushimage.py 127.0.0.1:56000 debian-python "$mdir/root" \
            "--exclude=./usr/lib/python3 --exclude=./usr/lib/python3.11 --exclude=./dev/* --exclude=./.rl-bench-done ." \
            "./usr/lib/python3 ./usr/lib/python3.11") || many=""
    fi
    # The pull rows' stores: a journaled ext4 of their own. This VM's / is
    # ext4 without a journal, where ext4 will not reuse an inode freed in
    # the last minutes and scans past each one: a pull that follows the
    # removal of the last one's 11k files measured that scan (~1 s of
    # system time, in rl and podman alike), not the engines. Made afresh
    # each run: a podman namespace left from an earlier one may still hold
    # an earlier mount, and the same image must never be mounted twice.
    fs=$d/fs
    mkdir -p "$fs"
    if truncate -s 4G "$d/fs.img" && mkfs.ext4 -q -F "$d/fs.img" && mount -o loop "$d/fs.img" "$fs"; then
        chown "$user" "$fs"
    else
        echo "(no loop-mounted ext4 for the pull rows: they use the run's dir)"
        fs=""
    fi
    # the user's environment is a clean one, with the RL_BENCH_* knobs given
    mapfile -t knobs < <(env | grep '^RL_BENCH_' || true)
    runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$(getent passwd "$user" | cut -d: -f6)" \
        "${knobs[@]}" RL_BENCH_RL="$d/rl" RL_BENCH_RUNS="$RUNS" RL_BENCH_BIG="$big" RL_BENCH_MANY="$many" \
        RL_BENCH_OUT="$d/ratios" RL_BENCH_FS="$fs" bash "$d/bench.sh"
    rc=$?
    kill "$regpid"
    [ -n "$fs" ] && umount -l "$fs"
    # RL_BENCH_SAVE=1: this run's ratios become the baseline (say why in the commit)
    if [ "${RL_BENCH_SAVE:-}" = 1 ] && [ -s "$d/ratios" ]; then
        cp "$d/ratios" tests/bench/baseline && echo "(baseline saved to tests/bench/baseline)"
    fi
    rm -rf "$d"
    exit $rc
fi

RL=${RL_BENCH_RL:-$TOP/build/rl}
BENCH_DIR=$(dirname "${BASH_SOURCE[0]}")
command -v hyperfine >/dev/null || { echo "rl: bench needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
W=$(mktemp -d /tmp/rl-bench-run-XXXXXX)
trap 'rm -rf "$W"' EXIT
B=$W/bundle
mkdir -p "$B/rootfs/bin" "$B/rootfs"/{proc,sys,dev,etc,tmp}
cp /bin/busybox "$B/rootfs/bin/"
for a in sh true sleep; do ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && "$RL" oci spec 2>/dev/null)
jq '.process.args = ["true"]' "$B/config.json" > "$B/c" && mv "$B/c" "$B/config.json"
# the same bundle with bwrap's id mapping: only the user, as uid 0
B1=$W/bundle1
mkdir -p "$B1" && ln -s "$B/rootfs" "$B1/rootfs"
jq --argjson u "$(id -u)" --argjson g "$(id -g)" '.linux.uidMappings = [{"containerID":0,"hostID":$u,"size":1}]
    | .linux.gidMappings = [{"containerID":0,"hostID":$g,"size":1}]
    | .mounts |= map(if .type == "devpts" then .options -= ["gid=5"] else . end)' "$B/config.json" > "$B1/config.json"

# podman rootless on this host: cgroupfs and runc (crun 1.8 refuses hybrid
# cgroups); the bench registry is plain http
export CONTAINERS_CONF=$W/containers.conf CONTAINERS_REGISTRIES_CONF=$W/registries.conf
printf '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"
printf '[[registry]]\nlocation = "127.0.0.1:56000"\ninsecure = true\n' > "$CONTAINERS_REGISTRIES_CONF"

# arithmetic on jq's numbers, which may come as 1.5e-05 (bc takes no exponents)
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b == 0 ? 0 : a / b }'; }
mul() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a * b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a + b }'; }

# A hyperfine result table: TITLE UNIT(ms|s) JSON REF NAME...: mean, stddev
# and the ratio to result REF (rl's row), one row per NAME.
table() {
    local title=$1 unit=$2 json=$3 ref i m s k=1
    [ "$unit" = ms ] && k=1000
    ref=$(jq ".results[$4].mean" "$json")
    shift 4
    printf '\n%-42s %10s %10s %12s\n' "$title" "mean $unit" "± $unit" "vs rl"
    i=0
    for name in "$@"; do
        m=$(jq ".results[$i].mean" "$json")
        s=$(jq ".results[$i].stddev" "$json")
        printf '%-42s %10.2f %10.2f %11.2fx\n' "$name" "$(mul "$m" "$k")" "$(mul "$s" "$k")" "$(div "$m" "$ref")"
        i=$((i + 1))
    done
}

# Ratio rows: rl's cost against its anchor in the same run (rl's time or
# memory over the anchor's, or the anchor's throughput over rl's), so lower
# is better; compared with tests/bench/baseline at the end (compare.sh).
RATIOS=$W/ratios
: > "$RATIOS"
ratio() { # KEY VALUE
    printf '%s %.3f\n' "$1" "$2" >> "$RATIOS"
}

names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
works() { timeout 20 bash -c "$1" >/dev/null 2>&1; }

add "namespace floor (unshare -Urmpf)" "unshare -U -r -m -p -f -u -i -n /bin/true"
add "rl oci run (single-id map, as bwrap)" "$RL oci --root $W/rl run -b $B1 bench"
add "rl oci run (full subuid map: newuidmap)" "$RL oci --root $W/rl run -b $B bench"
bw="bwrap --unshare-all --uid 0 --gid 0 --bind $B/rootfs / --proc /proc --dev /dev --tmpfs /tmp /bin/true"
works "$bw" && add "bwrap --unshare-all" "$bw"
for rt in crun runc; do
    c="$rt --root $W/$rt run -b $B bench"
    if command -v $rt >/dev/null && works "$c"; then add "$rt run" "$c"; else echo "($rt does not run rootless here: left out)"; fi
done
if command -v podman >/dev/null; then
    podman image exists localhost/rl-bench 2>/dev/null || tar -C "$B/rootfs" -c . | podman import -q - localhost/rl-bench >/dev/null 2>&1
    p="podman run --rm --network none localhost/rl-bench /bin/true"
    if works "$p"; then add "podman run --rm (runc, reference)" "$p"; else echo "(podman does not run here: left out)"; fi
fi

args=()
for c in "${cmds[@]}"; do args+=("$c"); done
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/r.json" "${args[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }

printf '\n%-42s %10s %10s %12s\n' "run busybox 'true', rootless" "mean ms" "± ms" "vs rl"
rl_mean=$(jq '.results[1].mean' "$W/r.json")
for i in "${!names[@]}"; do
    m=$(jq ".results[$i].mean" "$W/r.json")
    s=$(jq ".results[$i].stddev" "$W/r.json")
    printf '%-42s %10.2f %10.2f %11.2fx\n' "${names[$i]}" "$(mul "$m" 1000)" "$(mul "$s" 1000)" "$(div "$m" "$rl_mean")"
done
bw_mean=$(jq -r '.results[] | select(.command|startswith("bwrap")) | .mean' "$W/r.json")
if [ -n "$bw_mean" ]; then
    printf '\nrl / bwrap, same id mapping = %.2f (target: at most 1.5)\n' "$(div "$rl_mean" "$bw_mean")"
    ratio oci_run/bwrap "$(div "$rl_mean" "$bw_mean")"
fi
echo "(the full mapping adds two setuid helper runs, newgidmap and newuidmap, that bwrap's single-id map does without)"

# --- images: rl run IMAGE against podman run IMAGE, and pulls ---
S=$W/store
tar -C "$B/rootfs" -cf "$W/bb.tar" .
"$RL" --root "$S" import "$W/bb.tar" rl-bench >/dev/null
inames=() icmds=()
inames+=("namespace floor (unshare + mount proc)"); icmds+=("unshare -U -r -m -p -f -u -i -n --mount-proc /bin/true")
inames+=("rl run --rm --network none IMAGE true"); icmds+=("$RL --root $S run --rm --network none rl-bench true")
# the same floor with the full subordinate map, written by newuidmap/newgidmap
# as rl's is: what the setuid helpers alone cost
inames+=("floor + subuid map (unshare --map-auto)"); icmds+=("unshare --map-auto -r -m -p -f -u -i -n --mount-proc /bin/true")
podman image exists localhost/rl-bench 2>/dev/null || podman import -q "$W/bb.tar" localhost/rl-bench >/dev/null 2>&1
p="podman run --rm --network none localhost/rl-bench /bin/true"
if works "$p"; then inames+=("podman run --rm --network none IMAGE true"); icmds+=("$p"); fi
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/i.json" "${icmds[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
table "run an image, rootless" ms "$W/i.json" 1 "${inames[@]}"
rl_i=$(jq '.results[1].mean' "$W/i.json")
map_i=$(jq '.results[2].mean' "$W/i.json")
printf 'rl / floor with subuid map = %.2f (target: at most 1.3)\n' "$(div "$rl_i" "$map_i")"
ratio run/floor_subuid "$(div "$rl_i" "$map_i")"
if [ "$(jq '.results | length' "$W/i.json")" -gt 3 ]; then
    pm_i=$(jq '.results[3].mean' "$W/i.json")
    printf 'podman / rl = %.1f (target: at least 25)\n' "$(div "$pm_i" "$rl_i")"
    ratio run/podman "$(div "$rl_i" "$pm_i")"
fi
# shellcheck source=tests/bench/phases.sh
. "$BENCH_DIR/phases.sh"

# shellcheck source=tests/bench/pull.sh
. "$BENCH_DIR/pull.sh"

# --- the container lifecycle: monitor memory, ps -a, parallel run/stop/rm ---
# shellcheck source=tests/bench/lifecycle.sh
. "$BENCH_DIR/lifecycle.sh"
# --- networking: slirp's start-up cost, published-port and outbound throughput ---
# shellcheck source=tests/bench/network.sh
. "$BENCH_DIR/network.sh"
"$RL" --root "$S" system reset -f
# shellcheck source=tests/bench/compare.sh
. "$BENCH_DIR/compare.sh"
