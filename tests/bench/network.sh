#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
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
slirp_none=$(div "$(jq '.results[1].mean' "$W/n.json")" "$(jq '.results[0].mean' "$W/n.json")")
printf 'slirp / none = %.2f (target: at most 1.5)\n' "$slirp_none"
ratio run_slirp/none "$slirp_none"

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
# published port: host client → server in a container, for rl, podman's
# rootlessport and pasta, all up at once and measured in alternating rounds
# (one round's figures swing by half on 2 cores)
pnames=() pports=()
"$RL" --root "$S" run -d --name rl-ip -p 15301:5201 rl-iperf iperf3 -s >/dev/null &&
    pnames+=("rl -p (monitor splice)") pports+=(15301)
if $have_podman && podman run -d --name pm-ip -p 15302:5201 localhost/rl-iperf iperf3 -s >/dev/null 2>&1; then
    pnames+=("podman -p (rootlessport)") pports+=(15302)
fi
# pasta, the best rootless forwarder there is: its own user and network
# namespace with the server in it, the host port forwarded in (passt package)
pasta_pid=""
if command -v pasta >/dev/null; then
    setsid pasta --config-net -f -t 15304:5201 -- iperf3 -s -p 5201 >/dev/null 2>&1 &
    pasta_pid=$! pnames+=("pasta -t (passt)") pports+=(15304)
else
    echo "(no pasta: apt-get install passt; its row left out)"
fi
for port in "${pports[@]}"; do wait_listen 127.0.0.1 "$port"; done
sleep 0.5
declare -A psum=()
ROUNDS=${RL_BENCH_PORT_ROUNDS:-3}
for _ in $(seq "$ROUNDS"); do
    for i in "${!pports[@]}"; do
        psum[$i]=$(sum "${psum[$i]:-0}" "$(client 127.0.0.1 "${pports[$i]}")")
    done
done
for i in "${!pports[@]}"; do row "${pnames[$i]}" "$(div "${psum[$i]}" "$ROUNDS")"; done
"$RL" --root "$S" rm -f -t 0 rl-ip >/dev/null
$have_podman && podman rm -f -t 0 pm-ip >/dev/null 2>&1
if [ -n "$pasta_pid" ]; then kill -- -"$pasta_pid" 2>/dev/null; wait "$pasta_pid" 2>/dev/null; fi
printf '\n%-42s %10s %12s\n' "TCP into a published port (mean of $ROUNDS)" "Gbit/s" "vs rl"
rl_net_port=""
for i in "${!tnames[@]}"; do
    [ "${tnames[$i]}" = "rl -p (monitor splice)" ] && rl_net_port=${tvals[$i]}
done
for i in "${!tnames[@]}"; do
    vs=""
    [ -n "$rl_net_port" ] && vs=$(printf '%.2fx' "$(div "${tvals[$i]}" "$rl_net_port")")
    printf '%-42s %10.2f %12s\n' "${tnames[$i]}" "${tvals[$i]}" "$vs"
    case ${tnames[$i]} in
    "pasta -t"*) [ -n "$rl_net_port" ] && ratio port/pasta "$(div "${tvals[$i]}" "$rl_net_port")" ;;
    "podman -p"*) [ -n "$rl_net_port" ] && ratio port/rootlessport "$(div "${tvals[$i]}" "$rl_net_port")" ;;
    esac
done
echo "(target: rl at least pasta's throughput and 1.2x podman's rootlessport)"

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
    [ "${#tvals[@]}" -gt 2 ] && vs=$(printf '%.2fx' "$(div "${tvals[$i]}" "${tvals[2]}")")
    printf '%-42s %10.2f %12s\n' "${tnames[$i]}" "${tvals[$i]}" "$vs"
done
echo "(target: rl at least 1.5x podman's slirp4netns)"
[ "${#tvals[@]}" -gt 2 ] && ratio outbound/slirp4netns "$(div "${tvals[2]}" "${tvals[1]}")"
