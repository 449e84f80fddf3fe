#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# podman's command line where scripts lean on it (issue 17): the commands
# podman's own test suite runs before every test, image templates, --ignore,
# kill -s 0, and the global options podman documents.

load helpers

setup() { use_small_image; }
teardown() { store_teardown; }

@test "podman's test setup runs: rm -t 0 --all --force --ignore, ps --all --external --format, images --all --format" {
    rli run -d --name s1 "$IMG" 'sleep 100' >/dev/null
    rli create --name s2 "$IMG" true >/dev/null
    run -0 rli ps --all --external --format '{{.ID}} {{.Names}}'
    [ "${#lines[@]}" -eq 2 ]
    [[ "$output" == *" s1"* && "$output" == *" s2"* ]]
    run -0 rli images --all --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    id=$(rli image inspect --format '{{.Id}}' "$IMG")
    [ "$output" = "$IMG:latest ${id:0:12}" ]
    run -0 rli rm -t 0 --all --force --ignore
    [ "${#lines[@]}" -eq 2 ]
    run -0 rli ps -a -q
    [ -z "$output" ]
    # nothing left, and --ignore: still no error
    run -0 rli rm -t 0 --all --force --ignore
    [ -z "$output" ]
}

@test "images: templates one line per name, --no-trunc ids, --noheading, bad formats refused" {
    rli tag "$IMG" localhost/other:v2
    run -0 rli images --format '{{.Repository}} {{.Tag}}'
    [ "$(sort <<<"$output")" = "$(printf '%s latest\nlocalhost/other v2' "$IMG" | sort)" ]
    id=$(rli image inspect --format '{{.Id}}' "$IMG")
    run -0 rli images --no-trunc --format '{{.ID}}'
    [ "${lines[0]}" = "$id" ]
    run -0 rli images --format '{{json .Names}}'
    [[ "${lines[0]}" == '['*'"localhost/other:v2"'*']' ]]
    run -0 rli images --noheading
    [[ "$output" != *REPOSITORY* ]]
    [ "${#lines[@]}" -eq 2 ]
    run -125 rli images --format '{{.Nope}}'
    [ "$output" = "rl: --format '{{.Nope}}': no field '.Nope'" ]
    run -125 rli images --format table
    [ "$output" = "rl: --format: 'table': use json or a template such as '{{.ID}}'" ]
}

@test "rm and stop --ignore: a missing container is no error, the others are still done" {
    rli run -d --name i1 "$IMG" 'sleep 100' >/dev/null
    run -0 rli stop -t 0 --ignore nosuch i1
    [ "$output" = i1 ]
    run -0 rli rm --ignore nosuch i1
    [ "$output" = i1 ]
    # without it, podman's error and exit code (1 for a missing container)
    run -1 rli rm nosuch
    [ "$output" = "rl: no container with name or id 'nosuch' (see rl ps -a)" ]
    run -125 rli stop nosuch
}

@test "kill -s 0 says whether a container can be signalled, and sends nothing" {
    rli run -d --name k1 "$IMG" 'trap "echo got; exit 3" USR1; while :; do sleep 0.1; done' >/dev/null
    run -0 rli kill -s 0 k1
    [ "$output" = k1 ]
    sleep 0.3
    run -0 rli ps -q --filter status=running --filter name=k1
    [ -n "$output" ]
    rli stop -t 0 k1 >/dev/null
    run -125 rli kill -s 0 k1
    [[ "$output" == *"not running"* ]]
}

@test "global options: --noout, --events-backend, --url and --runtime refused by name" {
    run -0 rli --noout images
    [ -z "$output" ]
    run -0 rli --noout --events-backend file ps -a
    [ -z "$output" ]
    run -0 rli --events-backend none ps -a
    [[ "$output" == CONTAINER* ]]
    run -125 rli --events-backend syslog ps
    [ "$output" = "rl: --events-backend: 'syslog': use file, journald or none" ]
    run -125 rli --url unix:///x ps
    [ "$output" = "rl: --url: rl has no remote API (no service to connect to): run rl where the containers are" ]
    run -125 rli --connection other ps
    [[ "$output" == "rl: --url: rl has no remote API"* ]]
    run -125 rli --runtime /usr/bin/crun ps
    [ "$output" = "rl: --runtime: rl is its own OCI runtime and runs no other (rl oci is it, for podman's --runtime)" ]
    run -0 rli --help
    [[ "$output" == *"global options:"*"--noout"*"commands:"* ]]
}

@test "stop: the container is 'stopping' until it goes; wait on a never-started container is 0 at once" {
    rli run -d --name st1 "$IMG" 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null
    # a window of 6 s: long enough to be seen on a loaded machine
    rli stop -t 6 st1 >/dev/null 2>&1 &
    stopper=$!
    for _ in $(seq 50); do
        [ "$(rli inspect --format '{{.State.Status}}' st1)" = stopping ] && break
        sleep 0.1
    done
    run -0 rli inspect --format '{{.State.Status}} {{.State.Running}}' st1
    echo "after the loop: $output"
    [ "$output" = "stopping true" ]
    run -0 rli ps --format '{{.Names}} {{.State}}'
    [ "$output" = "st1 stopping" ]
    wait "$stopper"
    run -0 rli inspect --format '{{.State.Status}}' st1
    [ "$output" = exited ]
    # created, never started: nothing to wait for (podman prints 0 at once)
    rli create --name cr1 "$IMG" true >/dev/null
    start=$(date +%s%N)
    run -0 timeout 5 "$RL" --root "$STORE" wait cr1
    [ "$output" = 0 ]
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000 ]
}

@test "run/create: --label, --cidfile, --replace, --stop-timeout, --rmi as podman's" {
    # --label: in inspect's Config.Labels and ps --filter label=
    rli create --name l1 --label tier=web -l solo "$IMG" true >/dev/null
    run -0 rli inspect --format '{{.Config.Labels.tier}}' l1
    [ "$output" = web ]
    run -0 rli ps -a --filter label=tier=web --format '{{.Names}}'
    [ "$output" = l1 ]
    run -0 rli ps -a --filter label=solo --format '{{.Names}}'
    [ "$output" = l1 ]
    run -125 rli create --label =x "$IMG" true
    [ "$output" = "rl: create: --label '=x': give KEY or KEY=VALUE" ]
    # --cidfile: the id, in a file that must be new; nothing made when it exists
    cid=$BATS_TEST_TMPDIR/cid
    run -0 rli create --cidfile "$cid" --name c1 "$IMG" true
    [ "$(cat "$cid")" = "$output" ]
    n=$(rli ps -aq | wc -l)
    run -125 rli create --cidfile "$cid" "$IMG" true
    [ "$output" = "rl: --cidfile '$cid': the file exists (another container's?): remove it or name another" ]
    [ "$(rli ps -aq | wc -l)" = "$n" ]
    # --replace: the name's container goes first (running or not)
    run -0 rli run -d --name r1 "$IMG" 'sleep 100'
    old=$output
    run -0 rli run -d --replace --name r1 "$IMG" 'sleep 100'
    [ "$output" != "$old" ]
    run -0 rli ps -a --format '{{.ID}}' --filter name=r1 --no-trunc
    [ "$output" = "${lines[0]}" ] && [ "${#lines[@]}" -eq 1 ]
    run -125 rli run --name r1 "$IMG" true
    [[ "$output" == *"already in use"* ]]
    # --stop-timeout: rl stop's default wait for this one
    rli run -d --name t1 --stop-timeout 1 "$IMG" 'trap "" INT TERM; while :; do sleep 0.1; done' >/dev/null
    start=$(date +%s%N)
    run -0 rli stop t1
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$ms" -ge 1000 ] && [ "$ms" -lt 3000 ]
    [[ "${lines[0]}" == *"failed to stop container t1 in 1 seconds, resorting to SIGKILL" ]]
    # --rmi: the image goes with the container, unless another uses it
    rli tag "$IMG" localhost/rmi-me:1
    run -0 rli run --rmi localhost/rmi-me:1 true
    run -0 rli image exists "$IMG"
    rli rm -f -a >/dev/null
    rli run --rmi localhost/rmi-me:1 true
    run -1 rli image exists localhost/rmi-me:1
    run -125 rli run -d --rmi "$IMG" true
    [ "$output" = "rl: run: --rmi: only for a container in the foreground with --rm" ]
}

@test "ps --sort; --network bridge and slirp4netns's option names" {
    rli create --name b-2 "$IMG" true >/dev/null
    rli create --name a-1 "$IMG" true >/dev/null
    rli create --name c-3 "$IMG" true >/dev/null
    run -0 rli ps -a --sort names --format '{{.Names}}'
    [ "$output" = "$(printf 'a-1\nb-2\nc-3')" ]
    run -0 rli ps -a --format '{{.Names}}'
    [ "$output" = "$(printf 'c-3\na-1\nb-2')" ]
    run -125 rli ps --sort size
    [ "$output" = "rl: ps: --sort 'size': use command, created, id, image, names, runningfor or status" ]
    run -0 rli run --rm --network bridge "$IMG" 'ip -4 addr show tap0 | grep -o "inet [0-9.]*"'
    [ "$output" = "inet 10.0.2.100" ]
    run -0 rli run --rm --network slirp4netns:port_handler=slirp4netns,mtu=1500 "$IMG" 'cat /sys/class/net/tap0/mtu'
    [ "$output" = 1500 ]
    run -125 rli run --rm --network slirp4netns:cidr=10.5.0.0/24 "$IMG" true
    [[ "$output" == "rl: --network 'slirp4netns:cidr=10.5.0.0/24': cidr is not supported yet"* ]]
}

@test "info: podman's structure in YAML, JSON and templates, with rl's real values; podman as the oracle" {
    rli run -d --name up1 "$IMG" 'sleep 100' >/dev/null
    rli create --name down1 "$IMG" true >/dev/null
    run -0 rli info --format json
    j=$output
    [ "$(jq -r '.store.graphRoot' <<<"$j")" = "$STORE" ]
    [ "$(jq -r '.store.containerStore.number' <<<"$j")" = 2 ]
    [ "$(jq -r '.store.containerStore.running' <<<"$j")" = 1 ]
    [ "$(jq -r '.store.imageStore.number' <<<"$j")" = 1 ]
    [ "$(jq -r '.host.security.rootless' <<<"$j")" = true ]
    [ "$(jq -r '.host.ociRuntime.name' <<<"$j")" = rl ]
    [ "$(jq -r '.host.idMappings.uidmap[0].host_id' <<<"$j")" = "$(id -u)" ]
    [ "$(jq -r '.host.idMappings.uidmap[1].host_id' <<<"$j")" = "$(awk -F: -v u="$(id -un)" '$1 == u {print $2; exit}' /etc/subuid)" ]
    [ "$(jq -r '.host.kernel' <<<"$j")" = "$(uname -r)" ]
    # the same keys as podman's own, at the top and in host and store
    export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\n' > "$CONTAINERS_CONF"
    pj=$(podman info --format json)
    [ "$(jq -c 'keys' <<<"$j")" = "$(jq -c 'keys' <<<"$pj")" ]
    for k in arch cgroupManager cgroupVersion cpus distribution eventLogger hostname idMappings kernel \
        logDriver memFree memTotal ociRuntime os remoteSocket security serviceIsRemote slirp4netns; do
        jq -e --arg k "$k" '.host | has($k)' <<<"$pj" >/dev/null
        jq -e --arg k "$k" '.host | has($k)' <<<"$j" >/dev/null
    done
    [ "$(jq -r .host.cgroupVersion <<<"$j")" = "$(jq -r .host.cgroupVersion <<<"$pj")" ]
    [ "$(jq -r .host.arch <<<"$j")" = "$(jq -r .host.arch <<<"$pj")" ]
    [ "$(jq -c .host.idMappings <<<"$j")" = "$(jq -c .host.idMappings <<<"$pj")" ]
    # templates take podman's Go names
    run -0 rli info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphRoot}} {{.Host.Security.Rootless}} {{.Store.ContainerStore.Running}}'
    [ "$output" = "rl $STORE true 1" ]
    [ "$(podman info --format '{{.Host.Security.Rootless}}')" = true ]
    run -125 rli info --format '{{.Host.Nope}}'
    [ "$output" = "rl: --format '{{.Host.Nope}}': no field '.Host.Nope'" ]
    # the YAML podman prints by default
    run -0 rli info
    [[ "$output" == *$'host:\n  arch: '* ]]
    [[ "$output" == *$'\nstore:\n'*"  graphRoot: $STORE"* ]]
    run -0 rli version --format '{{.Client.Version}}'
    [ "$output" = "$(rli --version | awk 'NR == 1 {print $3}')" ]
    run -0 rli version --format json
    jq -e '.Client.OsArch' <<<"$output" >/dev/null
}

@test "missing objects: podman's exit codes on each verb; rm -f, rmi -f and rmi --ignore of a missing one are no error" {
    export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\n' > "$CONTAINERS_CONF"
    for c in "rm bogus" "rm -f bogus" "rmi bogus" "rmi -f bogus" "rmi --ignore bogus" "stop bogus" \
        "kill bogus" "start bogus" "restart bogus" "wait bogus" "logs bogus" "port bogus" "top bogus" \
        "rename bogus x" "exec bogus true" "attach bogus" "inspect bogus" "container inspect bogus" \
        "image inspect bogus" "tag bogus x" "image exists bogus"; do
        # shellcheck disable=SC2086 # the words of $c are the arguments
        podman $c >/dev/null 2>&1 && want=0 || want=$?
        # shellcheck disable=SC2086
        rli $c >/dev/null 2>&1 && got=0 || got=$?
        [ "$got" = "$want" ] || { echo "rl $c: exit $got, podman $want"; false; }
    done
    run -0 rli rm -f bogus
    [ -z "$output" ]
    run -0 rli rmi -f bogus
    [ -z "$output" ]
    # the others given are still removed, and a missing one among them is no error with -f
    rli create --name f1 "$IMG" true >/dev/null
    run -0 rli rm -f bogus f1
    [ "$output" = f1 ]
    rli tag "$IMG" localhost/gone:v1
    run -0 rli rmi --ignore bogus localhost/gone:v1
    [ "$output" = "Untagged: localhost/gone:v1" ]
}

@test "--cidfile and --latest pick the container for stop, kill, restart, rm, start and wait; start --all" {
    rli create --cidfile "$BATS_TEST_TMPDIR/c1.id" --name c1 "$IMG" 'sleep 100' >/dev/null
    id1=$(cat "$BATS_TEST_TMPDIR/c1.id")
    rli create --name c2 "$IMG" 'sleep 100' >/dev/null
    id2=$(rli inspect --format '{{.Id}}' c2)
    # c2 was created last
    run -0 rli start -l
    [ "$output" = "$id2" ]
    [ "$(rli inspect --format '{{.State.Status}}' c2)" = running ]
    [ "$(rli inspect --format '{{.State.Status}}' c1)" = created ]
    # exec -l: no CONTAINER operand; --env-file before -e, which wins
    printf 'A=from-file\n# not this\nB=b\n' > "$BATS_TEST_TMPDIR/env"
    run -0 rli exec -l --env-file "$BATS_TEST_TMPDIR/env" -e A=from-e sh -c 'echo $A $B'
    [ "$output" = "from-e b" ]
    # --all: the ones not running; c2 runs, and is not named (podman's test checks that)
    run -0 rli start --all
    [ "$output" = "$id1" ]
    [ "$(rli inspect --format '{{.State.Status}}' c1)" = running ]
    run -0 rli kill --cidfile "$BATS_TEST_TMPDIR/c1.id"
    [ "$output" = "$id1" ]
    run -0 rli wait c1
    [ "$output" = 137 ]
    run -0 rli stop -t 0 -l
    [ "$output" = "$id2" ]
    [ "$(rli inspect --format '{{.State.Status}}' c2)" = exited ]
    run -0 rli rm --cidfile "$BATS_TEST_TMPDIR/c1.id" -l
    [ "$(sort <<<"$output")" = "$(printf '%s\n%s' "$id1" "$id2" | sort)" ]
    run -0 rli ps -aq
    [ -z "$output" ]
    # an unreadable --cidfile is named; no containers for -l is said
    run -125 rli rm --cidfile "$BATS_TEST_TMPDIR/none.id"
    [ "$output" = "rl: rm: --cidfile $BATS_TEST_TMPDIR/none.id: open '$BATS_TEST_TMPDIR/none.id': no such file or directory" ]
    run -125 rli stop -l
    [ "$output" = "rl: --latest: there are no containers" ]
    run -125 rli stop -l -a
    [ "$output" = "rl: stop: give names or -a, not both" ]
}

@test "podman's options for what rl has not yet are refused by name, never ignored; --label-file, ps --noheading, run's pull options" {
    run -125 rli run -m 512m "$IMG" true
    [ "$output" = "rl: run: --memory needs resource limits (cgroups), not in this version" ]
    run -125 rli create --pod p1 "$IMG" true
    [ "$output" = "rl: create: --pod needs pods, not in this version" ]
    run -125 rli run --health-cmd true "$IMG" true
    [ "$output" = "rl: run: --health-cmd needs healthchecks, not in this version" ]
    run -125 rli pull --authfile /dev/null "$IMG"
    [ "$output" = "rl: pull: --authfile needs registry logins (rl login), not in this version" ]
    run -125 rli ps --pod
    [ "$output" = "rl: ps: --pod needs pods, not in this version" ]
    # nothing was created by the refused ones
    run -0 rli ps -aq
    [ -z "$output" ]
    # --help lists them as such
    run -0 rli run --help
    [[ "$output" == *"--cpus N"*"not in this version: needs resource limits (cgroups)"* ]]
    printf '# a comment\n\nk1=v1\nk2=v 2\r\n' > "$BATS_TEST_TMPDIR/labels"
    rli create --label-file "$BATS_TEST_TMPDIR/labels" -l k3=v3 --name lf "$IMG" true >/dev/null
    run -0 rli inspect --format '{{.Config.Labels.k1}}/{{.Config.Labels.k2}}/{{.Config.Labels.k3}}' lf
    [ "$output" = "v1/v 2/v3" ]
    run -0 rli ps -a --noheading
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == *" lf" ]]
    # run's own pull takes pull's options
    rli rm lf >/dev/null
    rli rmi "$IMG" >/dev/null
    run -0 rli run --rm --tls-verify=false --platform linux/amd64 -q "$IMG" true
    [ -z "$output" ]
    run -0 rli create --disable-content-trust --arch amd64 --os linux "$IMG" true
}

@test "--stop-signal: rl stop sends it first, inspect shows it, a bad one is refused" {
    rli run -d --stop-signal USR1 --name ss1 "$IMG" 'trap "exit 7" USR1; while :; do sleep 0.1; done' >/dev/null
    run -0 rli inspect --format '{{.Config.StopSignal}}' ss1
    [ "$output" = SIGUSR1 ]
    run -0 rli stop -t 20 ss1
    [ "$output" = ss1 ] # no SIGKILL warning: the trap ended it
    run -0 rli wait ss1
    [ "$output" = 7 ]
    run -125 rli create --stop-signal NOPE "$IMG" true
    [ "$output" = "rl: create: --stop-signal 'NOPE': not a signal name or number" ]
}

@test "--env-host, --unsetenv, --unsetenv-all: the environment's layers as podman's" {
    export RL_T_HOST=from-host
    run -0 rli run --rm --env-host -e RL_T_E=e "$IMG" 'echo $RL_T_HOST $RL_T_E'
    [ "$output" = "from-host e" ]
    run -0 rli run --rm "$IMG" 'echo "[$RL_T_HOST]"'
    [ "$output" = "[]" ]
    unset RL_T_HOST
    # the variables' names as podman's on the same image, podman as the oracle
    # (HOME from the user's entry, HOSTNAME always, TERM without -t too)
    export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime = "runc"\n' > "$CONTAINERS_CONF"
    podman import -q "$WORK/rootfs.tar" localhost/rl-env >/dev/null
    rli import "$WORK/rootfs.tar" localhost/rl-env >/dev/null
    for opts in "" "--unsetenv container --unsetenv HOSTNAME" "--unsetenv-all -e A=1"; do
        # shellcheck disable=SC2086 # the words of $opts are options
        want=$(podman run --rm $opts localhost/rl-env /bin/env | cut -d= -f1 | tr -d '\r' | sort)
        # shellcheck disable=SC2086
        got=$(rli run --rm $opts localhost/rl-env /bin/env | cut -d= -f1 | tr -d '\r' | sort)
        [ "$got" = "$want" ] || { echo "$opts: rl [$got] podman [$want]"; false; }
    done
    podman rmi -f localhost/rl-env >/dev/null
    run -0 rli run --rm --unsetenv-all -e A=1 "$IMG" /bin/env
    # (this image's entrypoint is a shell, which adds its own PATH, PWD, SHLVL)
    [[ "$output" == *A=1* && "$output" == *HOSTNAME=* && "$output" != *container=* ]]
}

@test "--sysctl: namespaced ones set in the container; the host's and a shared namespace's refused" {
    host_shmmni=$(cat /proc/sys/kernel/shmmni)
    run -0 rli run --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.shmmni=1000 "$IMG" \
        'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
    [ "$output" = "$(printf '1\n1000')" ]
    # the host's own is untouched
    [ "$(cat /proc/sys/kernel/shmmni)" = "$host_shmmni" ]
    run -125 rli run --rm --sysctl vm.swappiness=10 "$IMG" true
    [ "$output" = "rl: --sysctl 'vm.swappiness': not a namespaced sysctl: it would be the host's" ]
    run -125 rli run --rm --network host --sysctl net.ipv4.ip_forward=1 "$IMG" true
    [ "$output" = "rl: --sysctl 'net.ipv4.ip_forward': the container shares the host's network namespace" ]
    run -125 rli create --sysctl novalue "$IMG" true
    [ "$output" = "rl: --sysctl 'novalue': expected KEY=VALUE" ]
    run -0 rli ps -aq
    [ -z "$output" ]
}
