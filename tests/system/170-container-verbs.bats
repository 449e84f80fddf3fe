#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The container verbs around the lifecycle (issue 4): inspect, top, rename,
# container prune, system prune and df, ps -s, stats, the container group.

load helpers

setup() { use_small_image; }
teardown() { store_teardown; }

@test "inspect: State, Config, Mounts, HostConfig as podman names them; --type and --format" {
    run -0 rli run -d --name i1 -v "$BATS_TEST_TMPDIR:/host:ro" --restart on-failure:3 \
        --log-opt max-size=1m -e X=1 "$IMG" 'sleep 100'
    id=$output
    run -0 rli inspect i1
    j=$output
    [ "$(jq -r '.[0].Id' <<<"$j")" = "$id" ]
    [ "$(jq -r '.[0].Name' <<<"$j")" = i1 ]
    [ "$(jq -r '.[0].State.Status' <<<"$j")" = running ]
    [ "$(jq -r '.[0].State.Running' <<<"$j")" = true ]
    [ "$(jq -r '.[0].State.Pid' <<<"$j")" = "$(jq -r .pid "$STORE/containers/$id/state.json")" ]
    [ "$(jq -r '.[0].State.ConmonPid' <<<"$j")" = "$(jq -r .monitor_pid "$STORE/containers/$id/state.json")" ]
    [ "$(jq -r '.[0].Config.StopSignal' <<<"$j")" = SIGINT ]
    jq -e '.[0].Config.Env | index("X=1")' <<<"$j" >/dev/null
    [ "$(jq -c '.[0].Mounts' <<<"$j")" = "[{\"Type\":\"bind\",\"Source\":\"$BATS_TEST_TMPDIR\",\"Destination\":\"/host\",\"Driver\":\"\",\"Mode\":\"\",\"Options\":[\"rbind\",\"ro\"],\"RW\":false,\"Propagation\":\"rprivate\"}]" ]
    [ "$(jq -c '.[0].HostConfig.RestartPolicy' <<<"$j")" = '{"Name":"on-failure","MaximumRetryCount":3}' ]
    [ "$(jq -r '.[0].HostConfig.LogConfig.Type' <<<"$j")" = k8s-file ]
    run -0 rli inspect --format '{{.State.Status}} {{.Name}} {{.Config.Tty}}' i1
    [ "$output" = "running i1 false" ]
    run -0 rli container inspect "${id:0:8}" --format '{{.Id}}'
    [ "$output" = "$id" ]
    # an image by the same words, and --type
    run -0 rli inspect --type image "$IMG" --format '{{.Id}}'
    [[ "$output" =~ ^[0-9a-f]{64}$ ]]
    run -125 rli inspect --type container "$IMG"
    run -125 rli inspect nosuch
    [ "$output" = "rl: no container or image named 'nosuch' (see rl ps -a, rl images)" ]
    run -125 rli inspect --type volume i1
    run -0 rli stop -t 0 i1
    run -0 rli inspect --format '{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}' i1
    [ "$output" = "exited 137 0" ]
}

@test "top: the container's processes with their in-container pids and user; descriptors" {
    run -0 rli run -d --name t1 "$IMG" 'sleep 100 & exec sleep 200'
    sleep 0.3
    run -0 rli top t1
    [[ "${lines[0]}" =~ ^USER\ +PID\ +PPID\ +%CPU\ +ELAPSED\ +TTY\ +TIME\ +COMMAND$ ]]
    [ "${#lines[@]}" = 3 ]
    [[ "${lines[1]}" =~ ^alice\ +1\ +0\ .*sleep\ 200$ ]]
    [[ "${lines[2]}" =~ ^alice\ +2\ +1\ .*sleep\ 100$ ]]
    run -0 rli top t1 pid,hpid comm
    [[ "${lines[1]}" =~ ^1\ +$(jq -r .pid "$STORE/containers/$(rli ps -q --no-trunc)/state.json")\ +sleep$ ]]
    run -125 rli top t1 bogus
    [[ "$output" == "rl: top: unknown descriptor 'bogus'"* ]]
    run -0 rli stop -t 0 t1
    run -125 rli top t1
    [[ "$output" == "rl: container "*" is not running: top needs its processes" ]]
}

@test "rename, names: unique, podman's characters, the container group" {
    run -0 rli create --name a1 "$IMG" true
    run -0 rli create --name b1 "$IMG" true
    run -0 rli rename a1 a2
    run -0 rli container ls -a --format '{{.Names}}'
    [ "$(sort <<<"$output" | tr '\n' ' ')" = "a2 b1 " ]
    run -125 rli rename a2 b1
    [ "$output" = "rl: the container name 'b1' is already in use: remove that container or choose another name" ]
    for bad in 'bad name' '-x' '.x' 'a/b' ''; do
        run -125 rli rename a2 "$bad"
        [[ "$output" == "rl: container name '$bad': use letters"* ]]
        run -125 rli run --name "$bad" "$IMG" true
    done
    run -0 rli container ls -a --format '{{.Names}}'
    [ "$(sort <<<"$output" | tr '\n' ' ')" = "a2 b1 " ]
    run -125 rli container frobnicate
}

@test "container prune, system prune, system df, ps -s: what is used and what goes" {
    run -0 rli run -d --name keep "$IMG" 'sleep 100'
    run -0 rli run -u 0 --name gone1 "$IMG" 'dd if=/dev/zero of=/f bs=1k count=300 2>/dev/null'
    run -0 rli run --name gone2 "$IMG" true
    run -0 rli ps -a -s --format '{{.Names}} {{.Size}}'
    [[ "$output" == *"gone1 307 kB (virtual "* ]]
    run -0 rli system df
    [[ "${lines[1]}" =~ ^Images\ +1\ +1\  ]]
    [[ "${lines[2]}" =~ ^Containers\ +3\ +1\  ]]
    [[ "${lines[3]}" =~ ^Local\ Volumes\ +0\ +0\  ]]
    # without -f and without a terminal: refused, nothing removed
    run -125 rli container prune < /dev/null
    [ "$output" = "rl: container prune: this would remove all non running containers: confirm with -f" ]
    [ "$(rli ps -aq | wc -l)" = 3 ]
    run -0 rli container prune -f
    [ "${#lines[@]}" = 2 ]
    run -0 rli ps -a --format '{{.Names}}'
    [ "$output" = keep ]
    run -0 rli stop -t 0 keep
    run -0 rli system prune -a -f
    [ "${lines[0]}" = "Deleted Containers" ]
    [[ "$output" == *"Deleted Images"*"Total reclaimed space: "* ]]
    run -0 rli ps -aq
    [ -z "$output" ]
    run -0 rli images -q
    [ -z "$output" ]
    run -125 rli system frob
}

@test "stats: refused clearly where the host gives no cgroup v2; unknown and stopped containers" {
    run -0 rli run -d --name s1 "$IMG" 'sleep 100'
    if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
        run -125 rli stats --no-stream s1
        [ "$output" = "rl: stats: a rootless container's resource use needs cgroup v2 (this host has cgroup v1 or a hybrid setup): use rl top for its processes" ]
    fi
    run -125 rli stats --no-stream nosuch
    run -0 rli stop -t 0 s1
    run -125 rli stats --no-stream s1
    [ "$output" = "rl: stats: container s1 is not running" ]
}

@test "every verb answers --help with its synopsis; an unknown option is one line and 125" {
    verbs=$(rli --help | awk '/^commands:/ {on=1; next} on && NF {print $1}')
    [ "$(wc -w <<<"$verbs")" -gt 20 ]
    for v in $verbs; do
        [ "$v" = oci ] && continue
        run -0 rli "$v" --help
        [[ "${lines[0]}" == "rl $v: "* ]]
        [[ "$output" == *"usage: rl $v"* ]]
    done
    run -0 rli oci --help
    [[ "$output" == *"usage: rl oci"* ]]
    # -h is run's and create's --hostname in podman, so it is not help there
    run -0 rli rm -h
    [[ "$output" == *"usage: rl rm [-a] [-l] [-f]"* ]]
    for args in "rm --bogus x" "stop -x x" "ps --filter" "logs --tail" "run --nope $IMG" "create -Z $IMG" \
        "exec --frob x true" "images --nope" "system prune --nope" "inspect --nope x"; do
        run -125 rli $args
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == "rl: "*"unknown option or missing value (see 'rl "*" --help')" ]]
    done
    run -125 rli rm --bogus x
    [ "$output" = "rl: rm: '--bogus': unknown option or missing value (see 'rl rm --help')" ]
    run -125 rli ps -a -x
    [ "$output" = "rl: ps: '-x': unknown option or missing value (see 'rl ps --help')" ]
    run -125 rli --frob ps
    [ "$output" = "rl: '--frob': unknown global option or missing value (see 'rl --help')" ]
}

@test "ps: a long image name keeps two spaces before COMMAND, as podman's columns do" {
    rli tag "$IMG" localhost/a-rather-long-repository-name/for-the-ps-columns:v1
    rli create --name longimg localhost/a-rather-long-repository-name/for-the-ps-columns:v1 'sleep 1' >/dev/null
    run -0 rli ps -a
    [[ "${lines[1]}" == *"localhost/a-rather-long-repository-name/for-the-ps-columns:v1  /bin/sh -c sleep 1"* ]]
    # the header's COMMAND starts where the rows' commands do
    local h=${lines[0]%%COMMAND*} r=${lines[1]%%/bin/sh*}
    [ "${#h}" -eq "${#r}" ]
}
