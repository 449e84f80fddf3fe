#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The terminal and the monitor's other jobs (issue 4): run -it through a
# real terminal (tmux), detach keys, attach, --restart, --init, signals,
# --sdnotify and the pid files.

load helpers

setup() {
    use_small_image
    TMUX_SOCK=$BATS_TEST_TMPDIR/tmux.sock
}
teardown() {
    local s
    for s in "$BATS_TEST_TMPDIR"/tmux*.sock; do tmux -S "$s" kill-server 2>/dev/null || true; done
    [ -z "${LISTENER:-}" ] || kill "$LISTENER" 2>/dev/null || true
    store_teardown
}

# A real terminal: tmux runs the command in a pty of the given size.
term_start() { tmux -S "$TMUX_SOCK" new-session -d -x 91 -y 27 "$1; echo EXIT=\$?; sleep 60"; }
term_keys() { tmux -S "$TMUX_SOCK" send-keys "$@"; }
term_screen() { tmux -S "$TMUX_SOCK" capture-pane -p; }
# Wait (up to 10 s) until the screen shows the text.
term_wait() {
    local i
    for i in $(seq 100); do
        term_screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "screen never showed '$1':" >&2
    term_screen >&2
    return 1
}
state() { jq -r ".$2" "$STORE/containers/$1/state.json"; }

@test "run -it in a terminal: prompt, typing, window size, ctrl-p ctrl-q detaches, attach back, exit code" {
    term_start "'$RL' --root '$STORE' run -it --name it1 $IMG sh"
    term_wait '/data $'
    term_keys 'stty size; echo typed-$((6*7))' Enter
    term_wait 'typed-42'
    term_screen | grep -qx '27 91'
    term_keys C-p C-q
    term_wait 'EXIT=0'
    run -0 rli ps --format '{{.Names}} {{.State}}'
    [ "$output" = "it1 running" ]
    # a second terminal: a new tmux server (the first may still be going away)
    tmux -S "$TMUX_SOCK" kill-server
    TMUX_SOCK=$BATS_TEST_TMPDIR/tmux2.sock
    term_start "'$RL' --root '$STORE' attach it1"
    sleep 0.5
    term_keys 'echo back-$((2+3))' Enter
    term_wait 'back-5'
    term_keys 'exit 5' Enter
    term_wait 'EXIT=5'
    run -0 rli ps -a --format '{{.Names}} {{.State}} {{.ExitCode}}'
    [ "$output" = "it1 exited 5" ]
    # what was typed and shown is in the log too
    run -0 rli logs it1
    [[ "$output" == *typed-42* ]]
}

@test "detach keys: --detach-keys picks others, a lone ctrl-p passes through, bad keys are refused" {
    term_start "'$RL' --root '$STORE' run -it --detach-keys ctrl-x,x --name it2 $IMG sh"
    term_wait '/data $'
    # ctrl-p alone is input (the shell's history), not a detach
    term_keys C-p 'echo still-$((1+1))' Enter
    term_wait 'still-2'
    term_keys C-x x
    term_wait 'EXIT=0'
    run -0 rli ps --format '{{.Names}}'
    [ "$output" = it2 ]
    run -0 rli rm -f it2
    for bad in ctrl-1 ctrl- 'ctrl-p,' abc,ctrl-q; do
        run -125 rli run -it --detach-keys "$bad" "$IMG" true
        [ "${#lines[@]}" = 1 ]
        [[ "$output" == "rl: --detach-keys '$bad': "* ]]
    done
    run -125 rli attach --detach-keys ctrl-1 nothing
    run -0 rli ps -a -q
    [ -z "$output" ]
}

@test "attach: piped stdin to a -di container, --no-stdin, a stopped container is refused" {
    run -0 rli run -di --name cat1 "$IMG" 'cat; echo cat-done'
    run -0 bash -c "echo piped-line | '$RL' --root '$STORE' attach cat1"
    [ "${lines[0]}" = piped-line ]
    [ "${lines[1]}" = cat-done ]
    run -0 rli logs cat1
    [ "$output" = "piped-line
cat-done" ]
    run -125 rli attach cat1
    [ "$output" = "rl: attach: container cat1 is not running: only a running container can be attached to (rl start -a)" ]
    run -125 rli attach nosuch
    [[ "$output" == "rl: no container with name or id 'nosuch'"* ]]
    # --no-stdin: output only, exit code at the end
    run -0 rli run -di --name cat2 "$IMG" 'read x; echo "read:$x"; exit 4'
    "$RL" --root "$STORE" attach --no-stdin cat2 > "$BATS_TEST_TMPDIR/out" &
    att=$!
    sleep 0.5
    run -4 bash -c "echo fed | '$RL' --root '$STORE' attach cat2"
    rc=0
    wait $att || rc=$?
    [ $rc = 4 ]
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = "read:fed" ]
}

@test "--restart: on-failure:N runs N+1 times, always until rl stop, bad values refused" {
    run -0 rli run -d --name r1 --restart on-failure:2 "$IMG" 'echo run; exit 3'
    id=$output
    run -0 rli wait r1
    [ "$output" = 3 ]
    # wait returns at the first exit: the monitor keeps going
    for i in $(seq 50); do
        [ "$(rli ps -a --format '{{.State}}' -f name=r1)" = exited ] &&
            ! kill -0 "$(state "$id" monitor_pid)" 2>/dev/null && break
        sleep 0.1
    done
    [ "$(state "$id" restarts)" = 2 ]
    [ "$(state "$id" exit_code)" = 3 ]
    [ "$(rli logs r1 | grep -c run)" = 3 ]
    # on success on-failure stops at once
    run -0 rli run -d --name r2 --restart on-failure "$IMG" 'exit 0'
    id2=$output
    run -0 rli wait r2
    sleep 0.5
    [ "$(state "$id2" restarts)" = 0 ]
    [ "$(state "$id2" status)" = exited ]
    # always: the container comes back until rl stop, which is final
    run -0 rli run -d --name r3 --restart always "$IMG" 'sleep 0.2; exit 1'
    id3=$output
    for i in $(seq 50); do [ "$(state "$id3" restarts)" -ge 2 ] && break; sleep 0.1; done
    [ "$(state "$id3" restarts)" -ge 2 ]
    run -0 rli stop -t 1 r3
    mon=$(state "$id3" monitor_pid)
    ! kill -0 "$mon" 2>/dev/null
    n=$(state "$id3" restarts)
    sleep 1
    [ "$(state "$id3" restarts)" = "$n" ]
    [ "$(rli ps -a --format '{{.State}}' -f name=r3)" = exited ]
    # rm -f while it waits to restart: gone, monitor and all
    run -0 rli run -d --name r4 --restart always "$IMG" 'exit 1'
    id4=$output
    sleep 0.3
    run -0 rli rm -f r4
    [ ! -d "$STORE/containers/$id4" ]
    for bad in sometimes on-failure:x on-failure:-1 'always:3'; do
        run -125 rli run --restart "$bad" "$IMG" true
        [ "${#lines[@]}" = 1 ]
        [[ "$output" == "rl: --restart '$bad': "* ]]
    done
    run -125 rli run --rm --restart always "$IMG" true
    [[ "$output" == "rl: run: --rm and --restart=always conflict"* ]]
    [ "$(rli ps -a -q | wc -l)" = 3 ]
}

@test "--init: a real pid 1 that forwards the stop signal and passes the exit code" {
    run -0 rli run --rm --init "$IMG" 'ps -o pid,args; exit 6' || true
    run -6 rli run --rm --init "$IMG" 'ps -o pid,args; exit 6'
    [[ "${lines[1]}" =~ ^\ *1\ /run/rl-init\ --\ /bin/sh ]]
    # sleep as pid 1 has no handler for SIGTERM: stop waits out -t; under
    # the init, sleep gets the signal and dies at once
    run -0 rli run -d --init --name in1 "$IMG" 'exec sleep 100'
    start=$(date +%s%N)
    run -0 rli stop -t 5 in1
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000 ]
    run -125 rli run --init --init-path /nonexistent "$IMG" true
    [ "$output" = "rl: --init-path '/nonexistent': not an executable file (give an absolute path)" ]
    run -125 rli create --init --init-path relative "$IMG" true
    [ "$(rli ps -a -q | wc -l)" = 1 ]
}

@test "signals: a foreground run passes SIGTERM and SIGHUP on; --sig-proxy=false does not" {
    "$RL" --root "$STORE" run --name s1 "$IMG" 'trap "echo got-term; exit 9" TERM; sleep 5 & wait' > "$BATS_TEST_TMPDIR/o1" &
    p=$!
    sleep 1
    kill -TERM $p
    rc=0
    wait $p || rc=$?
    [ $rc = 9 ]
    [ "$(cat "$BATS_TEST_TMPDIR/o1")" = got-term ]
    "$RL" --root "$STORE" run --name s2 "$IMG" 'trap "echo got-hup; exit 8" HUP; sleep 5 & wait' > "$BATS_TEST_TMPDIR/o2" &
    p=$!
    sleep 1
    kill -HUP $p
    rc=0
    wait $p || rc=$?
    [ $rc = 8 ]
    [ "$(cat "$BATS_TEST_TMPDIR/o2")" = got-hup ]
    # not proxied: SIGWINCH is harmless to rl, and the container never sees it
    "$RL" --root "$STORE" run --sig-proxy=false --name s3 "$IMG" 'trap "echo got-winch" WINCH; sleep 1 & wait; echo natural' > "$BATS_TEST_TMPDIR/o3" &
    p=$!
    sleep 0.5
    kill -WINCH $p
    wait $p
    [ "$(cat "$BATS_TEST_TMPDIR/o3")" = natural ]
    run -125 rli run --sig-proxy=maybe "$IMG" true
    # a foreground run is logged as a detached one is
    run -0 rli logs s1
    [ "$output" = got-term ]
    run -0 rli run --log-driver passthrough --name s4 "$IMG" 'echo direct'
    [ "$output" = direct ]
    run -0 rli logs s4
    [ -z "$output" ]
}

@test "--sdnotify and pid files: MAINPID and READY=1 to NOTIFY_SOCKET, the socket in the container" {
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
out = open(sys.argv[2], "a")
while True:
    out.write(s.recv(4096).decode().replace("\n", " ") + "\n"); out.flush()
' "$BATS_TEST_TMPDIR/notify.sock" "$BATS_TEST_TMPDIR/notify.log" &
    LISTENER=$!
    for i in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/notify.sock" ] && break; sleep 0.1; done
    export NOTIFY_SOCKET=$BATS_TEST_TMPDIR/notify.sock
    # conmon: rl says READY once the container runs; MAINPID is the monitor
    run -0 rli run -d --sdnotify=conmon --name n1 --conmon-pidfile "$BATS_TEST_TMPDIR/mon.pid" \
        --pidfile "$BATS_TEST_TMPDIR/ctr.pid" "$IMG" 'sleep 100'
    id=$output
    sleep 0.3
    mon=$(state "$id" monitor_pid)
    [ "$(cat "$BATS_TEST_TMPDIR/mon.pid")" = "$mon" ]
    [ "$(cat "$BATS_TEST_TMPDIR/ctr.pid")" = "$(state "$id" pid)" ]
    grep -qx "MAINPID=$mon READY=1" "$BATS_TEST_TMPDIR/notify.log"
    # container (the default): the socket is bound in for the container to use
    : > "$BATS_TEST_TMPDIR/notify.log"
    run -0 rli run --rm "$IMG" 'echo $NOTIFY_SOCKET; test -S $NOTIFY_SOCKET && echo is-socket'
    [ "$output" = "/run/notify/notify.sock
is-socket" ]
    run -0 grep -c READY "$BATS_TEST_TMPDIR/notify.log" || true
    [ "$output" = 0 ]
    # ignore: nothing in the container, nothing sent
    run -0 rli run --rm --sdnotify=ignore "$IMG" 'echo "[$NOTIFY_SOCKET]"'
    [ "$output" = "[]" ]
    run -125 rli run --sdnotify=healthy "$IMG" true
    [ "$output" = "rl: run: --sdnotify 'healthy': use container, conmon or ignore" ]
    NOTIFY_SOCKET=@abstract run -125 rli run --rm "$IMG" true
    [[ "$output" == "rl: NOTIFY_SOCKET '@abstract': --sdnotify=container needs a socket file"* ]]
}
