#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The monitor and the container lifecycle without a daemon (issue 4):
# run -d, ps, logs, exec, stop, kill, start, wait, rm, and the truth after
# the monitor or the container is killed.

load helpers

setup() {
    use_small_image
    LOOP='trap "exit 0" INT TERM; while true; do echo hello world; sleep 0.1; done'
}
teardown() { store_teardown; }

rundir() { echo "${XDG_RUNTIME_DIR:-/tmp/rl-$(id -u)}/rl/containers"; }
state() { jq -r ".$2" "$STORE/containers/$1/state.json"; }

@test "run -d: ps shows it, logs stream, exec sees the loop as pid 1, stop is quick, rm leaves nothing" {
    run -0 rli run -d --name svc "$IMG" "$LOOP"
    id=$output
    [[ "$id" =~ ^[0-9a-f]{64}$ ]]
    run -0 rli ps
    [ "${#lines[@]}" = 2 ]
    [[ "${lines[0]}" == "CONTAINER ID"*"NAMES" ]]
    [[ "${lines[1]}" == "${id:0:12}"*"Up "*"svc" ]]
    sleep 0.5
    run -0 rli logs svc
    [ "${lines[0]}" = "hello world" ]
    run -0 rli exec svc ps -o pid,args
    [[ "${lines[1]}" =~ ^\ *1\ /bin/sh\ -c\ trap ]]
    pid=$(state "$id" pid)
    mon=$(state "$id" monitor_pid)
    [ -d "$(rundir)/$id" ]
    start=$(date +%s%N)
    run -0 rli stop svc
    [ "$output" = svc ]
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ]
    run -0 rli ps -a --format '{{.Names}} {{.State}} {{.ExitCode}}'
    [ "$output" = "svc exited 0" ]
    run -0 rli rm svc
    no_process "$pid"
    no_process "$mon"
    [ ! -e "$(rundir)/$id" ]
    [ ! -e "$STORE/containers/$id" ]
    run -0 rli ps -aq
    [ -z "$output" ]
}

@test "stop: a process that ignores the stop signal gets SIGKILL after -t seconds" {
    run -0 rli run -d --name stubborn "$IMG" 'trap "" INT TERM; while true; do sleep 0.1; done'
    start=$(date +%s%N)
    run -0 rli stop -t 2 stubborn
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$ms" -ge 2000 ] && [ "$ms" -lt 4000 ]
    # podman's warning in its words (the image's stop signal is SIGINT), then the name
    [ "${lines[0]}" = "rl: warning: StopSignal SIGINT failed to stop container stubborn in 2 seconds, resorting to SIGKILL" ]
    [ "${lines[1]}" = stubborn ]
    run -0 rli wait stubborn
    [ "$output" = 137 ]
    run -0 rli ps -a
    [[ "${lines[1]}" == *"Exited (137)"* ]]
}

@test "logs: -f follows until the container exits; --tail, -t, stderr, partial lines" {
    run -0 rli run -d --name talk "$IMG" 'for i in 1 2 3; do echo line$i; sleep 0.3; done; echo oops >&2; printf tail'
    run -0 timeout 10 "$RL" --root "$STORE" logs -f talk
    [ "$output" = "$(printf 'line1\nline2\nline3\noops\ntail')" ]
    run -0 rli logs --tail 2 talk
    [ "$output" = "$(printf 'line3\noops\ntail')" ]
    run -0 sh -c "'$RL' --root '$STORE' logs talk 2>/dev/null"
    [ "$output" = "$(printf 'line1\nline2\nline3\ntail')" ]
    run -0 rli logs -t --tail 1 talk
    [[ "$output" =~ ^20[0-9-]+T[0-9:.]+[+-][0-9:]+\ oops ]]
    run -0 rli logs --since 1h talk
    [ "${lines[0]}" = line1 ]
    run -0 rli logs --until 1h talk
    [ -z "$output" ]
    run -0 grep -c ' stdout F line' "$STORE/containers/$(rli ps -aq --no-trunc)/ctr.log"
    [ "$output" = 3 ]
    run -125 rli logs --since yesterday talk
    [[ "$output" == "rl: time 'yesterday': give an RFC 3339 time"* ]]
}

@test "kill, wait, start, restart: signals, exit codes, a second run" {
    run -0 rli run -d --name k "$IMG" "trap 'exit 42' USR1; $LOOP"
    run -0 rli kill -s USR1 k
    [ "$output" = k ]
    run -0 rli wait k
    [ "$output" = 42 ]
    run -0 rli ps -a --format '{{.State}} {{.ExitCode}}'
    [ "$output" = "exited 42" ]
    run -0 rli start k
    [ "$output" = k ]
    run -0 rli ps --format '{{.Names}} {{.State}}'
    [ "$output" = "k running" ]
    # starting a running one: nothing to do, no error and nothing said, as podman's
    run -0 rli start k
    [ -z "$output" ]
    run -125 rli start -a k
    [ "$output" = "rl: container ${output:14:12} is already running: rl attach to it" ]
    run -0 rli restart -t 1 k
    run -0 rli ps --format '{{.State}}'
    [ "$output" = running ]
    run -0 rli kill k
    run -0 rli wait k
    [ "$output" = 137 ]
    run -125 rli kill k
    [[ "$output" == *"is not running"* ]]
}

@test "create + start -a runs in the foreground with the container's exit code" {
    run -0 rli create --name c --entrypoint '' "$IMG" sh -c 'echo from-created; exit 5'
    run -0 rli ps -a --format '{{.Names}} {{.State}}'
    [ "$output" = "c created" ]
    run -5 rli start -a c
    [ "$output" = from-created ]
    run -0 rli ps -a --format '{{.State}} {{.ExitCode}}'
    [ "$output" = "exited 5" ]
}

@test "run -d --rm: gone once it exits; exec: exit codes, -u, -e, -w" {
    run -0 rli run -d --rm --name brief "$IMG" 'sleep 0.5'
    run -0 rli run -d --name e "$IMG" "$LOOP"
    run -0 rli exec -u root -e X=1 -w /tmp e sh -c 'echo $(id -u) $X $(pwd)'
    [ "$output" = "0 1 /tmp" ]
    run -0 rli exec e id -un
    [ "$output" = alice ]
    run -7 rli exec e sh -c 'exit 7'
    run -127 rli exec e /no/such
    for i in $(seq 30); do rli ps -a --format '{{.Names}}' | grep -q brief || break; sleep 0.1; done
    run -0 rli ps -a --format '{{.Names}}'
    [ "$output" = e ]
    run -0 rli stop e
    run -125 rli exec e true
    [ "$output" = "rl: container e is not running: start it first (rl start)" ]
}

@test "truth after faults: monitor and container killed with SIGKILL" {
    run -0 rli run -d --name victim "$IMG" "$LOOP"
    id=$output
    pid=$(state "$id" pid)
    mon=$(state "$id" monitor_pid)
    kill -9 "$mon"
    sleep 0.2
    run -0 rli ps --format '{{.State}}'
    [ "$output" = running ]
    kill -9 "$pid"
    for i in $(seq 20); do no_process "$pid" && break; sleep 0.1; done
    run -0 rli ps -a --format '{{.Names}} {{.State}}'
    [ "$output" = "victim exited" ]
    run -0 rli ps -q
    [ -z "$output" ]
    run -0 rli start victim
    run -0 rli ps --format '{{.Names}} {{.State}}'
    [ "$output" = "victim running" ]
    run -0 rli rm -f victim
    [ ! -e "$(rundir)/$id" ]
    [ ! -e "$(rundir)/../attach/$id" ]
    # both killed, then rm without a start: nothing of it is left either
    run -0 rli run -d --name victim2 "$IMG" "$LOOP"
    id=$output
    [ -S "$(rundir)/../attach/$id" ]
    pid=$(state "$id" pid)
    kill -9 "$(state "$id" monitor_pid)" "$pid"
    for i in $(seq 20); do no_process "$pid" && break; sleep 0.1; done
    run -0 rli rm victim2
    [ ! -e "$(rundir)/$id" ]
    [ ! -e "$(rundir)/../attach/$id" ]
    [ ! -e "$STORE/containers/$id" ]
}

@test "names and ids: prefixes, ambiguity, unknown names; rm of a running one" {
    run -0 rli run -d --name alpha "$IMG" "$LOOP"
    a=$output
    run -0 rli ps -q
    [ "$output" = "${a:0:12}" ]
    run -0 rli ps -q --no-trunc --filter name=alp
    [ "$output" = "$a" ]
    run -0 rli exec "${a:0:5}" true
    run -125 rli stop nosuch
    [ "$output" = "rl: no container with name or id 'nosuch' (see rl ps -a)" ]
    run -1 rli rm nosuch
    run -2 rli rm alpha
    [ "$output" = "rl: container ${a:0:12} is running: stop it first (rl stop) or use rl rm -f" ]
    run -0 rli ps -q
    [ "$output" = "${a:0:12}" ]
    run -125 rli kill -s NOSIG alpha
    [ "$output" = "rl: kill: --signal 'NOSIG': not a signal name or number" ]
    run -125 rli run -d --log-opt max-size=0 "$IMG" true
    [[ "$output" == "rl: --log-opt max-size '0'"* ]]
    run -125 rli run -d --log-driver journald "$IMG" true
    run -125 rli run -d --log-driver passthrough "$IMG" true
    run -125 rli ps --filter color=red
    run -125 rli ps --format '{{.Nope'
    run -0 rli ps -aq
    [ "${#lines[@]}" = 1 ]
}

@test "50 run -d at once, then stop -a and rm -a: every one accounted for" {
    N=50
    for i in $(seq $N); do rli run -d --name "n$i" "$IMG" "$LOOP" > "$BATS_TEST_TMPDIR/id$i" & done
    wait
    run -0 rli ps -q
    [ "${#lines[@]}" = "$N" ]
    mons=$(for f in "$STORE"/containers/*/state.json; do jq -r .monitor_pid "$f"; done)
    run -0 rli stop -a
    [ "${#lines[@]}" = "$N" ]
    run -0 rli ps -a --format '{{.State}}'
    [ "$(echo "$output" | sort -u)" = exited ]
    run -0 rli rm -a
    [ "${#lines[@]}" = "$N" ]
    for m in $mons; do no_process "$m"; done
    for f in "$BATS_TEST_TMPDIR"/id*; do [ ! -e "$(rundir)/$(cat "$f")" ]; done
    run -0 ls "$STORE/containers"
    [ -z "$output" ]
}

@test "containers.conf log_size_max bounds a container's log unless --log-opt max-size says otherwise" {
    export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
    printf '[containers]\nlog_size_max = 10000\n' > "$CONTAINERS_CONF"
    run -0 rli run -d --name chatty "$IMG" 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done; sleep 100'
    id=$output
    run -0 rli inspect --format '{{.HostConfig.LogConfig.Size}}' chatty
    [ "$output" = 10000B ]
    for i in $(seq 50); do [ -e "$STORE/containers/$id/ctr.log.1" ] && break; sleep 0.1; done
    [ -e "$STORE/containers/$id/ctr.log.1" ]
    [ "$(stat -c %s "$STORE/containers/$id/ctr.log")" -le 10000 ]
    [ "$(stat -c %s "$STORE/containers/$id/ctr.log.1")" -le 10000 ]
    # the command line wins; -1 is no limit, as in podman
    run -0 rli create --log-opt max-size=1m "$IMG" true
    run -0 rli inspect --format '{{.HostConfig.LogConfig.Size}}' "$output"
    [ "$output" = 1048576B ]
    printf '[containers]\nlog_size_max = -1\n' > "$CONTAINERS_CONF"
    run -0 rli create "$IMG" true
    run -0 rli inspect --format '{{.HostConfig.LogConfig.Size}}' "$output"
    [ "$output" = "" ]
    # a limit podman would refuse is refused in one line, and nothing is created
    printf '[containers]\nlog_size_max = 100\n' > "$CONTAINERS_CONF"
    run -125 rli run -d "$IMG" true
    [ "$output" = "rl: $CONTAINERS_CONF: [containers] log_size_max 100: use -1 (no limit) or at least 8192 bytes" ]
    printf '[containers\n' > "$CONTAINERS_CONF"
    run -125 rli create "$IMG" true
    [[ "$output" == "rl: $CONTAINERS_CONF:"* ]]
    [ "${#lines[@]}" = 1 ]
    run -0 rli ps -aq
    [ "${#lines[@]}" = 3 ]
}
