#!/bin/bash
# Networking rows of make bench, sourced by bench.sh (for its table() and
# works()) after lifecycle.sh, as the test user, with RL, W, S, RUNS and
# have_podman set and the image rl-bench in both stores: rl run with the
# default network against --network none, and iperf3 throughput through a
# published port and outbound, each against podman (rootlessport and
# slirp4netns) and the host's own loopback in the same run.

IPERF_T=${RL_BENCH_IPERF_SECONDS:-5}
HOST_IP=$(ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -1)

# --- rl run --rm with the default network (slirp) against none ---
nnames=("rl run --rm --network none IMAGE true" "rl run --rm IMAGE true (slirp)")
ncmds=("$RL --root $S run --rm --network none rl-bench true" "$RL --root $S run --rm rl-bench true")
p="podman run --rm localhost/rl-bench /bin/true"
if $have_podman && works "$p"; then nnames+=("podman run --rm IMAGE true (slirp4netns)"); ncmds+=("$p"); fi
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/n.json" "${ncmds[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
table "run an image with its network" ms "$W/n.json" 0 "${nnames[@]}"
printf 'slirp / none = %.2f (target: at most 1.5)\n' \
    "$(echo "$(jq '.results[1].mean' "$W/n.json")/$(jq '.results[0].mean' "$W/n.json")" | bc -l)"

# --- iperf3: an image of the host's iperf3 and its libraries ---
command -v iperf3 >/dev/null || { echo "(no iperf3: throughput rows left out)"; return 0; }
R=$W/iperf-root
mkdir -p "$R"/{bin,tmp,proc,sys,dev,etc}
cp /bin/busybox "$R/bin/" && ln -s busybox "$R/bin/sh"
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do
    mkdir -p "$R$(dirname "$f")" && cp -L "$f" "$R$f"
done
tar -C "$R" -cf "$W/iperf.tar" .
"$RL" --root "$S" import "$W/iperf.tar" rl-iperf >/dev/null
$have_podman && { podman image exists localhost/rl-iperf 2>/dev/null || podman import -q "$W/iperf.tar" localhost/rl-iperf >/dev/null; }

gbits() { jq -r '.end.sum_received.bits_per_second / 1e9' 2>/dev/null || echo 0; }
# a client run against ADDR PORT (on the host) → Gbit/s (servers run
# without -1: the readiness probe would be their one client)
client() { iperf3 -c "$1" -p "$2" -t "$IPERF_T" -J | gbits; }
wait_listen() { for _ in $(seq 50); do nc -z "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

tnames=() tvals=()
row() { tnames+=("$1"); tvals+=("$2"); }

# host loopback: both ends on the host
iperf3 -s -B 127.0.0.1 -p 15300 >/dev/null 2>&1 &
wait_listen 127.0.0.1 15300 && row "host loopback (iperf3 both ends)" "$(client 127.0.0.1 15300)"
kill $! && wait
# published port: host client → container server
"$RL" --root "$S" run -d --name rl-ip -p 15301:5201 rl-iperf iperf3 -s >/dev/null
wait_listen 127.0.0.1 15301 && sleep 0.3 && row "rl -p (monitor splice)" "$(client 127.0.0.1 15301)"
"$RL" --root "$S" rm -f -t 0 rl-ip >/dev/null
if $have_podman; then
    podman run -d --name pm-ip -p 15302:5201 localhost/rl-iperf iperf3 -s >/dev/null 2>&1
    wait_listen 127.0.0.1 15302 && sleep 0.5 && row "podman -p (rootlessport)" "$(client 127.0.0.1 15302)"
    podman rm -f -t 0 pm-ip >/dev/null 2>&1
fi
printf '\n%-42s %10s %12s\n' "TCP into a published port" "Gbit/s" "vs loopback"
for i in "${!tnames[@]}"; do
    printf '%-42s %10.2f %11.0f%%\n' "${tnames[$i]}" "${tvals[$i]}" "$(echo "100*${tvals[$i]}/${tvals[0]}" | bc -l)"
done
echo "(target: rl at least 80% of the loopback; podman's rootlessport about 57% here)"

# outbound: container client → a server on the host's own address
tnames=() tvals=()
out() { # NAME CMD...
    iperf3 -s -B "$HOST_IP" -p 15303 >/dev/null 2>&1 &
    wait_listen "$HOST_IP" 15303 && row "$1" "$("${@:2}" iperf3 -c "$HOST_IP" -p 15303 -t "$IPERF_T" -J | gbits)"
    kill $! && wait
}
out "host to its own $HOST_IP" env
out "rl (spliced by the monitor)" "$RL" --root "$S" run --rm rl-iperf
$have_podman && out "podman (slirp4netns)" podman run --rm localhost/rl-iperf
printf '\n%-42s %10s %12s\n' "TCP out of a container to the host's address" "Gbit/s" "vs podman"
for i in "${!tnames[@]}"; do
    vs=""
    [ "${#tvals[@]}" -gt 2 ] && vs=$(printf '%.2fx' "$(echo "${tvals[$i]}/${tvals[2]}" | bc -l)")
    printf '%-42s %10.2f %12s\n' "${tnames[$i]}" "${tvals[$i]}" "$vs"
done
echo "(target: rl at least 1.5x podman's slirp4netns)"
