#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# create / start / state / exec / kill / delete, as runc's CLI does them.

load helpers

setup() {
    make_bundle
}

validate_state() {
    python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.loads(sys.argv[1]), json.load(open(sys.argv[2])))' \
        "$1" "$WORK/tests/system/state-schema.json"
}

@test "create → created, start → running, exit → stopped; state JSON validates" {
    spec '.annotations = {"org.example.k":"v"}'
    args sh -c 'sleep 0.5'
    rl create -b "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" c1
    st=$(rl state c1)
    validate_state "$st"
    [ "$(echo "$st" | jq -r .status)" = created ]
    [ "$(echo "$st" | jq -r .bundle)" = "$BUNDLE" ]
    [ "$(echo "$st" | jq -r '.annotations["org.example.k"]')" = v ]
    pid=$(echo "$st" | jq .pid)
    [ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
    # created: the process exists but has not run the command yet
    [ "$(readlink /proc/$pid/exe 2>/dev/null || echo hidden)" != /bin/busybox ] || true
    rl start c1
    st=$(rl state c1)
    validate_state "$st"
    [ "$(echo "$st" | jq -r .status)" = running ]
    wait_status c1 stopped
    validate_state "$(rl state c1)"
    rl delete c1
    run rl state c1
    [ "$status" -ne 0 ]
    [ "$output" = "rl: container 'c1' does not exist" ]
}

@test "start runs the command only then: output appears after start" {
    args echo started
    rl create -b "$BUNDLE" c2 > "$BATS_TEST_TMPDIR/out"
    [ ! -s "$BATS_TEST_TMPDIR/out" ]
    rl start c2 >> "$BATS_TEST_TMPDIR/out"
    wait_status c2 stopped
    # the container's stdout is the create caller's stdout
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = started ]
    rl delete c2
}

@test "start of a running container and of a missing one fail clearly" {
    args sleep 30
    rl create -b "$BUNDLE" c3
    rl start c3
    run rl start c3
    [ "$status" -eq 125 ]
    [ "$output" = "rl: cannot start container 'c3': it is running, not created" ]
    run rl start nope
    [ "$status" -eq 125 ]
    [ "$output" = "rl: container 'nope' does not exist" ]
}

@test "kill sends the signal; delete refuses a running container without --force" {
    args sleep 30
    rl create -b "$BUNDLE" c4
    rl start c4
    pid=$(rl state c4 | jq .pid)
    run rl delete c4
    [ "$status" -eq 125 ]
    [[ "$output" == *"cannot delete container 'c4' that is running"* ]]
    rl kill c4 KILL
    wait_status c4 stopped
    no_process "$pid"
    rl delete c4
    [ ! -e "$ROOT/c4" ]
    run rl kill c4
    [ "$status" -eq 125 ]
}

@test "kill accepts names, SIG names and numbers; rejects bad signals" {
    args sh -c 'trap "echo got-usr1; exit 0" USR1; while :; do sleep 0.1; done'
    rl create -b "$BUNDLE" c5 > "$BATS_TEST_TMPDIR/out"
    rl start c5
    sleep 0.3
    rl kill c5 SIGUSR1
    wait_status c5 stopped
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = got-usr1 ]
    run rl kill c5 NOTASIG
    [ "$status" -eq 125 ]
    [ "$output" = "rl: oci kill: invalid signal 'NOTASIG'" ]
    rl delete c5
}

@test "delete --force leaves no process, no mount and no state behind" {
    mkdir "$BATS_TEST_TMPDIR/vol"
    spec --arg s "$BATS_TEST_TMPDIR/vol" '.mounts += [{"destination":"/vol","type":"bind","source":$s,"options":["rbind"]}]'
    args sh -c 'sleep 100 & sleep 100'
    rl create -b "$BUNDLE" c6
    rl start c6
    pid=$(rl state c6 | jq .pid)
    children=$(ps -o pid= --ppid "$pid" | xargs)
    rl delete --force c6
    no_process "$pid"
    for c in $children; do no_process "$c"; done
    ! grep -q "$BUNDLE" /proc/self/mountinfo
    ! grep -q "$BATS_TEST_TMPDIR/vol" /proc/self/mountinfo
    [ ! -e "$ROOT/c6" ]
    [ -z "$(rl list -q)" ]
}

@test "a created container can be deleted with --force" {
    args true
    rl create -b "$BUNDLE" c7
    pid=$(rl state c7 | jq .pid)
    rl delete --force c7
    no_process "$pid"
    [ ! -e "$ROOT/c7" ]
}

@test "exec runs in the container's namespaces with its settings" {
    spec '.hostname = "exec-host"'
    args sleep 30
    rl create -b "$BUNDLE" c8
    rl start c8
    run rl exec c8 sh -c 'hostname; id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; ps -o pid,args | grep -c "[s]leep 30"'
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = exec-host ]
    [ "${lines[1]}" = 0 ]
    [ "${lines[2]}" = "CapEff:	00000000800405fb" ]
    [ "${lines[3]}" = "NoNewPrivs:	1" ]
    [ "${lines[4]}" = 1 ]
    run rl exec c8 sh -c 'exit 9'
    [ "$status" -eq 9 ]
    run -127 rl exec c8 nope
    run rl exec -e A=1 --cwd /tmp -u 1000:1000 c8 sh -c 'echo $A; pwd; id -u'
    [ "$output" = "1
/tmp
1000" ]
}

@test "exec --process FILE, --detach and --pid-file" {
    args sleep 30
    rl create -b "$BUNDLE" c9
    rl start c9
    jq '.process | .args = ["sh","-c","echo from-process-file > /dev/shm/x; sleep 2"]' "$BUNDLE/config.json" > "$BATS_TEST_TMPDIR/p.json"
    rl exec --process "$BATS_TEST_TMPDIR/p.json" --detach --pid-file "$BATS_TEST_TMPDIR/epid" c9
    epid=$(cat "$BATS_TEST_TMPDIR/epid")
    kill -0 "$epid"
    sleep 0.3
    [ "$(rl exec c9 cat /dev/shm/x)" = from-process-file ]
}

@test "exec into a stopped container fails clearly" {
    args true
    rl create -b "$BUNDLE" c10
    rl start c10
    wait_status c10 stopped
    run rl exec c10 true
    [ "$status" -eq 125 ]
    [ "$output" = "rl: cannot exec in container 'c10': it is stopped" ]
}

@test "a terminal container gets a working pty through --console-socket" {
    spec '.process.terminal = true'
    args sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo stdio-is-tty; read line; echo "got:$line"; stty size'
    spec '.process.consoleSize = {"height":30,"width":100}'
    "$RECVTTY" "$BATS_TEST_TMPDIR/cs" "$(printf 'hello tty\r')" > "$BATS_TEST_TMPDIR/out" &
    rpid=$!
    sleep 0.2
    rl create -b "$BUNDLE" --console-socket "$BATS_TEST_TMPDIR/cs" t1
    rl start t1
    wait "$rpid"
    out=$(tr -d '\r' < "$BATS_TEST_TMPDIR/out")
    [[ "$out" == *"/dev/pts/0"* ]]
    [[ "$out" == *"stdio-is-tty"* ]]
    [[ "$out" == *"got:hello tty"* ]]
    [[ "$out" == *"30 100"* ]]
}

@test "a terminal container without a console socket is refused when detached" {
    spec '.process.terminal = true'
    run rl create -b "$BUNDLE" t2
    [ "$status" -eq 125 ]
    [[ "$output" == *"--console-socket"* ]]
    [ ! -e "$ROOT/t2" ]
}

@test "exec --tty gets a pty through a console socket" {
    args sleep 30
    rl create -b "$BUNDLE" t3
    rl start t3
    "$RECVTTY" "$BATS_TEST_TMPDIR/cs" > "$BATS_TEST_TMPDIR/out" &
    rpid=$!
    sleep 0.2
    rl exec --tty --detach --console-socket "$BATS_TEST_TMPDIR/cs" t3 sh -c 'tty; echo done'
    wait "$rpid"
    [[ "$(cat "$BATS_TEST_TMPDIR/out")" == *"/dev/pts/"*"done"* ]]
}

@test "run --detach returns at once and leaves a running container" {
    args sleep 30
    rl run -d -b "$BUNDLE" d1
    [ "$(status_of d1)" = running ]
    rl kill d1 KILL
    wait_status d1 stopped
    rl delete d1
}

@test "a foreground run forwards SIGTERM to the container" {
    args sh -c 'trap "echo term; exit 3" TERM; while :; do sleep 0.1; done'
    "$RL" oci --root "$ROOT" run -b "$BUNDLE" f1 > "$BATS_TEST_TMPDIR/out" &
    rpid=$!
    wait_status f1 running
    sleep 0.3
    kill -TERM "$rpid"
    code=0
    wait "$rpid" || code=$?
    [ "$code" -eq 3 ]
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = term ]
    # a foreground container is gone with its process, as with runc run
    [ ! -e "$ROOT/f1" ]
}

@test "list shows containers, in table, -q and json" {
    args sleep 30
    rl create -b "$BUNDLE" l1
    rl create -b "$BUNDLE" l2
    rl start l2
    run rl list -q
    [ "$output" = "l1
l2" ]
    run rl list
    [[ "${lines[0]}" == ID*PID*STATUS*BUNDLE* ]]
    [[ "${lines[1]}" == l1*created*"$BUNDLE"* ]]
    [[ "${lines[2]}" == l2*running*"$BUNDLE"* ]]
    [ "$(rl list --format json | jq -r '.[1].status')" = running ]
}

@test "features describes the runtime" {
    run rl features
    [ "$status" -eq 0 ]
    echo "$output" | jq -e '.linux.namespaces | index("user")'
    echo "$output" | jq -e '.linux.seccomp.enabled'
    echo "$output" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")'
}

@test "rl-oci is the runtime under any name: copied, linked, renamed (podman --runtime /path/NAME)" {
    args echo via-copy
    run -0 "$WORK/bin/rl-oci" --root "$ROOT" run -b "$BUNDLE" link1
    [ "$output" = via-copy ]
    mkdir -p "$BATS_TEST_TMPDIR/x/y"
    cp "$WORK/bin/rl-oci" "$BATS_TEST_TMPDIR/x/y/my-runtime"
    ln -s "$BATS_TEST_TMPDIR/x/y/my-runtime" "$BATS_TEST_TMPDIR/x/runc"
    run -0 "$BATS_TEST_TMPDIR/x/y/my-runtime" --root "$ROOT" run -b "$BUNDLE" link2
    [ "$output" = via-copy ]
    run -0 "$BATS_TEST_TMPDIR/x/runc" --root "$ROOT" run --bundle "$BUNDLE" link3
    [ "$output" = via-copy ]
    # podman's create line, through the copy: --bundle, --pid-file, then delete
    # (the created container holds its stdio until started: not through run's pipe)
    "$BATS_TEST_TMPDIR/x/y/my-runtime" --root "$ROOT" create --bundle "$BUNDLE" \
        --pid-file "$BATS_TEST_TMPDIR/pid" link4 > /dev/null 2>&1
    [ -s "$BATS_TEST_TMPDIR/pid" ]
    run -0 "$BATS_TEST_TMPDIR/x/y/my-runtime" --root "$ROOT" delete --force link4
    # and rl itself, copied or linked as rl-oci, is still the engine's CLI or the runtime
    cp "$RL" "$BATS_TEST_TMPDIR/x/engine"
    run -0 "$BATS_TEST_TMPDIR/x/engine" --version
    [[ "$output" == "rl version "* ]]
    run -0 "$BATS_TEST_TMPDIR/x/engine" oci --root "$ROOT" run -b "$BUNDLE" link5
    [ "$output" = via-copy ]
    ln -s "$RL" "$BATS_TEST_TMPDIR/x/rl-oci"
    run -0 "$BATS_TEST_TMPDIR/x/rl-oci" --root "$ROOT" run -b "$BUNDLE" link6
    [ "$output" = via-copy ]
}

@test "--log with --log-format json records errors as JSON lines" {
    args no-such
    run -127 "$RL" oci --root "$ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json run -b "$BUNDLE" lg
    jq -e 'select(.level == "error") | .msg | test("no-such")' "$BATS_TEST_TMPDIR/log.json"
}

@test "hooks run with the state on stdin: createRuntime, prestart, poststart, poststop" {
    log=$BATS_TEST_TMPDIR/hooks.log
    cat > "$BATS_TEST_TMPDIR/hook" <<HOOK
#!/bin/sh
echo "\$1 \$(jq -r '.id + " " + .status + " " + (.pid|tostring)' )" >> $log
HOOK
    chmod 755 "$BATS_TEST_TMPDIR/hook"
    h=$BATS_TEST_TMPDIR/hook
    spec --arg h "$h" '.hooks = {"createRuntime":[{"path":$h,"args":["hook","createRuntime"]}],
        "prestart":[{"path":$h,"args":["hook","prestart"]}],
        "poststart":[{"path":$h,"args":["hook","poststart"]}],
        "poststop":[{"path":$h,"args":["hook","poststop"]}]}'
    args sleep 30
    rl create -b "$BUNDLE" hk
    pid=$(rl state hk | jq .pid)
    rl start hk
    rl delete --force hk
    run cat "$log"
    [ "${lines[0]}" = "createRuntime hk created $pid" ]
    [ "${lines[1]}" = "prestart hk created $pid" ]
    [ "${lines[2]}" = "poststart hk running $pid" ]
    [[ "${lines[3]}" == "poststop hk stopped"* ]]
}

@test "a failing poststart or poststop hook is logged and the hooks after it still run" {
    log=$BATS_TEST_TMPDIR/hooks.log
    printf '#!/bin/sh\necho "$1" >> %s\n' "$log" > "$BATS_TEST_TMPDIR/hook"
    chmod 755 "$BATS_TEST_TMPDIR/hook"
    h=$BATS_TEST_TMPDIR/hook
    spec --arg h "$h" '.hooks = {
        "poststart":[{"path":"/bin/false"},{"path":$h,"args":["hook","poststart-2"]}],
        "poststop":[{"path":"/bin/false"},{"path":$h,"args":["hook","poststop-2"]}]}'
    args sleep 30
    rl create -b "$BUNDLE" hp > /dev/null 2>&1
    run -0 rl start hp
    [[ "$output" == *"hooks.poststart[0] ('/bin/false'): exited with status 1"* ]]
    [ "$(status_of hp)" = running ]
    run -0 rl delete --force hp
    [[ "$output" == *"hooks.poststop[0] ('/bin/false'): exited with status 1"* ]]
    [ ! -e "$ROOT/hp" ]
    run cat "$log"
    [ "${lines[0]}" = poststart-2 ]
    [ "${lines[1]}" = poststop-2 ]
}

@test "a failing prestart hook stops create; createContainer hooks are refused" {
    spec '.hooks = {"prestart":[{"path":"/bin/false"}]}'
    run rl create -b "$BUNDLE" hf
    [ "$status" -eq 125 ]
    [ "$output" = "rl: hooks.prestart[0] ('/bin/false'): exited with status 1" ]
    [ -z "$(ls -A "$ROOT")" ]
    spec '.hooks = {"createContainer":[{"path":"/bin/true"}]}'
    run rl create -b "$BUNDLE" hf
    [ "$status" -eq 125 ]
    [[ "$output" == *"hooks.createContainer: hooks run inside the container are not supported"* ]]
}
