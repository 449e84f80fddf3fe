#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Container lifecycle rows of make bench, sourced by bench.sh (for its
# table() and works()), as the test user, with RL, W, S and RUNS set and the
# image rl-bench imported into both rl's store $S and podman's: the monitor's
# memory against conmon's, ps -a over 200 containers, and 20 parallel
# run -d/stop/rm.

have_podman=false
p="podman run --rm --network none localhost/rl-bench /bin/true"
works "$p" && have_podman=true

# Resident and proportional memory of one process, in kB. PSS splits shared
# pages (libc, the binary) between the processes that map them, so it is the
# fairer figure for "what does one more container cost".
mem_of() { # pid → "rss pss"
    local rss pss
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup")
    echo "$rss $pss"
}

# podman's per-container helpers: conmon, and with networking slirp4netns
# (the only container running, so every slirp4netns of this user is its)
podman_helpers() { # name → pids
    podman inspect -f '{{.State.ConmonPid}}' "$1"
    pgrep -u "$(id -u)" -x slirp4netns || true
}

# Measured once the container has written a line (logged and relayed) and
# a second has passed: a monitor's memory at rest after some work, not just
# after its start (rl's drops its setup pages then; pkg/monitor/trim.c).
MEM_CMD="echo ready; sleep 600"
logged() { # rl|podman NAME
    for _ in $(seq 50); do
        if [ "$1" = rl ]; then "$RL" --root "$S" logs "$2"; else podman logs "$2"; fi 2>/dev/null | grep -q ready && break
        sleep 0.1
    done
    sleep 1
}

echo
printf '%-42s %10s %10s\n' "per-container monitor, busybox at rest" "RSS kB" "PSS kB"
for net in none slirp; do
    "$RL" --root "$S" run -d --name rl-mem --network "$net" rl-bench sh -c "$MEM_CMD" >/dev/null
    logged rl rl-mem
    mon=$("$RL" --root "$S" inspect -f '{{.State.ConmonPid}}' rl-mem)
    read -r rl_rss rl_pss < <(mem_of "$mon")
    printf '%-42s %10s %10s\n' "rl monitor, --network $net" "$rl_rss" "$rl_pss"
    eval "rl_pss_$net=$rl_pss"
    "$RL" --root "$S" rm -f -t 0 rl-mem >/dev/null
done
if $have_podman; then
    for net in none slirp4netns; do
        podman run -d --name pm-mem --network "$net" localhost/rl-bench sh -c "$MEM_CMD" >/dev/null
        logged podman pm-mem
        tr=0 tp=0
        for pid in $(podman_helpers pm-mem); do
            read -r r s < <(mem_of "$pid")
            tr=$((tr + r)) tp=$((tp + s))
        done
        printf '%-42s %10s %10s\n' "podman conmon (+ helpers), --network $net" "$tr" "$tp"
        if [ "$net" = none ]; then ratio monitor_pss/conmon "$(div "$rl_pss_none" "$tp")"; fi
        if [ "$net" = slirp4netns ]; then ratio monitor_pss_slirp/conmon "$(div "$rl_pss_slirp" "$tp")"; fi
        podman rm -f -t 0 pm-mem >/dev/null
    done
fi

# --- ps -a with 200 containers in the store ---
N=${RL_BENCH_CONTAINERS:-200}
echo "(creating $N containers in each store)"
seq "$N" | xargs -P 4 -I{} "$RL" --root "$S" create --network none --name rl-ps-{} rl-bench true >/dev/null
pnames=("rl ps -a ($N containers)") pcmds=("$RL --root $S ps -a")
if $have_podman; then
    seq "$N" | xargs -P 4 -I{} podman create --network none --name pm-ps-{} localhost/rl-bench true >/dev/null
    pnames+=("podman ps -a ($N containers)"); pcmds+=("podman ps -a")
fi
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$W/ps.json" "${pcmds[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
table "list containers" ms "$W/ps.json" 0 "${pnames[@]}"
echo "(target: rl under 50 ms and 10x ahead of podman)"
$have_podman && ratio ps_200/podman "$(div "$(jq '.results[0].mean' "$W/ps.json")" "$(jq '.results[1].mean' "$W/ps.json")")"
"$RL" --root "$S" rm -a -f >/dev/null
$have_podman && podman rm -a -f >/dev/null

# --- 20 containers started, stopped and removed in parallel ---
# The same script for both engines: run -d, stop (SIGKILL at once: this
# measures the engine, not the container's signal handling), rm.
cat > "$W/par.sh" << 'EOF'
#!/bin/bash
# $1: the engine command line; $2: how many
for i in $(seq "$2"); do
    ( $1 run -d --network none --name par-$i rl-bench sleep 600 >/dev/null &&
      $1 stop -t 0 par-$i >/dev/null && $1 rm par-$i >/dev/null ) &
done
wait
EOF
P=${RL_BENCH_PARALLEL:-20}
rnames=("rl: $P x run -d, stop, rm in parallel") rcmds=("bash $W/par.sh '$RL --root $S' $P")
if $have_podman; then
    rnames+=("podman: the same"); rcmds+=("bash $W/par.sh podman $P")
fi
hyperfine -N --warmup 1 --runs "${RL_BENCH_PAR_RUNS:-5}" --export-json "$W/par.json" "${rcmds[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
table "container lifecycle, parallel" s "$W/par.json" 0 "${rnames[@]}"
$have_podman && ratio parallel_20/podman "$(div "$(jq '.results[0].mean' "$W/par.json")" "$(jq '.results[1].mean' "$W/par.json")")"
left=$("$RL" --root "$S" ps -a -q | wc -l)
[ "$left" -eq 0 ] || echo "rl: bench: $left containers left behind by the parallel script"
