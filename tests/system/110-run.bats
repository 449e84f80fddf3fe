#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# rl run IMAGE with podman's flags: what the process inside sees.

load helpers

setup() { use_small_image; }
teardown() { store_teardown; }

@test "run: the image's Entrypoint, Cmd, User, WorkingDir and Env apply" {
    run -0 rli run --rm "$IMG"
    [ "${lines[0]}" = "uid=1000(alice) gid=1000(alice) groups=50(staff)" ]
    [ "${lines[1]}" = /data ]
    run -0 rli run --rm "$IMG" 'echo $FROM_IMAGE $HOME $container'
    [ "$output" = "yes /home/alice rl" ]
}

@test "run: exit codes are the container's; 126, 127 and 125 as podman" {
    run -3 rli run --rm --entrypoint '' "$IMG" sh -c 'exit 3'
    run -127 rli run --rm --entrypoint '' "$IMG" /no/such/thing
    [[ "$output" == *"/no/such/thing"* ]]
    run -126 rli run --rm --entrypoint '' "$IMG" /etc/passwd
    run -125 rli run --rm nosuch.invalid/image true
    [[ "${lines[-1]}" == "rl: nosuch.invalid: Couldn't resolve host name" ]]
    run -125 rli run --rm --bogus "$IMG"
    run -125 rli run --rm --pull=sometimes "$IMG"
    [ "$output" = "rl: --pull 'sometimes': use missing, always, never or newer" ]
}

@test "run: --rm leaves nothing; without it the container stays recorded" {
    run -0 rli run --rm --entrypoint '' "$IMG" true
    run -0 ls "$STORE/containers"
    [ -z "$output" ]
    run -0 rli run --name kept --entrypoint '' "$IMG" true
    run -0 sh -c "cat $STORE/containers/*/container.json | jq -r .name"
    [ "$output" = kept ]
    run -125 rli run --name kept --entrypoint '' "$IMG" true
    [[ "$output" == *"name 'kept' is already in use"* ]]
}

@test "run --rm: files of other container users go too, removed in the container's own namespace (one newuidmap run, not two)" {
    # a newuidmap on PATH before the real one, counting its runs
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    printf '#!/bin/sh\necho run >> %s/newuidmap.log\nexec /usr/bin/newuidmap "$@"\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/bin/newuidmap"
    chmod +x "$BATS_TEST_TMPDIR/bin/newuidmap"
    # the store's first run probes the storage driver in a namespace of its own
    run -0 rli run --rm -u 0 --entrypoint '' "$IMG" true
    run -0 env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$RL" --root "$STORE" run --rm -u 0 --entrypoint '' "$IMG" \
        sh -c 'mkdir -p /srv/d/e && touch /srv/d/e/f && chown -R 1234:1234 /srv/d && chmod 700 /srv/d /srv/d/e && echo made'
    [ "$output" = made ]
    # the remover runs behind the shell's back: wait for it
    for _ in $(seq 50); do [ -z "$(ls -A "$STORE/tmp" 2>/dev/null)" ] && break; sleep 0.1; done
    run -0 ls -A "$STORE/containers" "$STORE/tmp"
    [ "$output" = "$(printf '%s:\n\n%s:' "$STORE/containers" "$STORE/tmp")" ]
    run -0 wc -l < "$BATS_TEST_TMPDIR/newuidmap.log"
    [ "$output" = 1 ]
}

@test "run --rm: the overlay is volatile (no sync of what goes with it), a kept container's is not" {
    run -0 rli info
    [[ "$output" == *"graphDriverName: overlay"* ]] # as 140 asserts for this machine
    run -0 rli run --rm -u 0 --entrypoint '' "$IMG" sh -c 'grep " / / " /proc/self/mountinfo'
    [[ "$output" == *" - overlay "*volatile* ]]
    run -0 rli run --name kept -u 0 --entrypoint '' "$IMG" sh -c 'grep " / / " /proc/self/mountinfo'
    [[ "$output" == *" - overlay "* ]]
    [[ "$output" != *volatile* ]]
    run -0 rli rm kept
}

@test "run: -e, --env-file, -w, -u by name and by id, --hostname" {
    printf 'A=from-file\n# comment\n\nB=b\n' > "$BATS_TEST_TMPDIR/env"
    run -0 env HOSTVAR=fromhost "$RL" --root "$STORE" run --rm --env-file "$BATS_TEST_TMPDIR/env" -e B=override -e HOSTVAR \
        -w /tmp -u nobody --hostname box "$IMG" 'echo $A $B $HOSTVAR; pwd; id -u; hostname'
    [ "${lines[0]}" = "from-file override fromhost" ]
    [ "${lines[1]}" = /tmp ]
    [ "${lines[2]}" = 65534 ]
    [ "${lines[3]}" = box ]
    run -0 rli run --rm -u 1234:50 "$IMG" id
    [ "$output" = "uid=1234 gid=50(staff)" ]
    run -125 rli run --rm -u nosuchuser "$IMG" id
    [ "$output" = "rl: user 'nosuchuser': no such user in the image's /etc/passwd" ]
    run -125 rli run --rm -e =bad "$IMG" true
}

@test "run: --entrypoint as a word and as JSON; arguments replace Cmd" {
    run -0 rli run --rm --entrypoint /bin/echo "$IMG" a b
    [ "$output" = "a b" ]
    run -0 rli run --rm --entrypoint '["/bin/echo","x"]' "$IMG"
    [ "$output" = x ]
    run -0 rli run --rm "$IMG" 'echo replaced'
    [ "$output" = replaced ]
}

@test "run: -v bind mounts (ro, rw, z), --mount bind and tmpfs, --tmpfs, --read-only" {
    mkdir "$BATS_TEST_TMPDIR/vol"
    echo host > "$BATS_TEST_TMPDIR/vol/f"
    run -0 rli run --rm -u 0 -v "$BATS_TEST_TMPDIR/vol:/v:z" "$IMG" 'cat /v/f; echo new > /v/g'
    [ "$output" = host ]
    [ "$(cat "$BATS_TEST_TMPDIR/vol/g")" = new ]
    [ "$(stat -c %u "$BATS_TEST_TMPDIR/vol/g")" = "$(id -u)" ]
    run -1 rli run --rm -u 0 -v "$BATS_TEST_TMPDIR/vol:/v:ro" "$IMG" 'echo x > /v/f'
    [[ "$output" == *"Read-only file system"* ]]
    run -0 rli run --rm -u 0 --mount "type=bind,source=$BATS_TEST_TMPDIR/vol,target=/m,readonly" \
        --mount type=tmpfs,target=/t,tmpfs-size=1m --tmpfs /run2 "$IMG" \
        'cat /m/f; grep " /t " /proc/mounts | cut -d" " -f3; grep " /run2 " /proc/mounts | cut -d" " -f4'
    [ "${lines[0]}" = host ]
    [ "${lines[1]}" = tmpfs ]
    [[ "${lines[2]}" == *noexec* ]]
    run -1 rli run --rm -u 0 --read-only --tmpfs /tmp "$IMG" 'echo > /tmp/ok && echo > /x'
    [[ "$output" == *"Read-only file system"* ]]
    # as podman: a tmpfs starts with the image's files there, unless notmpcopyup
    run -0 rli run --rm --tmpfs /etc "$IMG" 'grep " /etc " /proc/mounts | cut -d" " -f3; cat /etc/passwd | head -1'
    [ "${lines[0]}" = tmpfs ]
    [[ "${lines[1]}" == root:* ]]
    run -1 rli run --rm --tmpfs /etc:rw,notmpcopyup "$IMG" 'ls /etc/passwd'
    run -0 rli run --rm --mount type=tmpfs,target=/etc "$IMG" 'ls /etc/passwd'
    run -1 rli run --rm --mount type=tmpfs,target=/etc,notmpcopyup "$IMG" 'ls /etc/passwd'
    run -125 rli run --rm -v /nonexistent-src:/x "$IMG" true
    [[ "$output" == "rl: -v: source '/nonexistent-src': no such file or directory" ]]
    run -125 rli run --rm -v relative:/x "$IMG" true
    [[ "$output" == *"named volumes are not supported yet"* ]]
    run -125 rli run --rm -v "$BATS_TEST_TMPDIR/vol:/x:bogus" "$IMG" true
    run -125 rli run --rm --mount type=volume,target=/x "$IMG" true
}

@test "run: -v on /proc, inside /proc, or onto a symlink to / is refused naming the mount" {
    mkdir "$BATS_TEST_TMPDIR/vol"
    run -125 rli run --rm -v "$BATS_TEST_TMPDIR/vol:/proc" "$IMG" true
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: "*"('/proc'): only a proc filesystem can be mounted on /proc" ]]
    run -125 rli run --rm -v "$BATS_TEST_TMPDIR/vol:/proc/sys" "$IMG" true
    [[ "$output" == "rl: "*"('/proc/sys'): the destination is inside /proc"* ]]
    # an image whose /rootlink points at /
    python3 -c 'import shutil, sys, tarfile
shutil.copy(sys.argv[1], sys.argv[2])
with tarfile.open(sys.argv[2], "a") as t:
    i = tarfile.TarInfo("rootlink"); i.type = tarfile.SYMTYPE; i.linkname = "/"; t.addfile(i)' \
        "$IMAGES/small.tar" "$BATS_TEST_TMPDIR/link.tar"
    rli import "$BATS_TEST_TMPDIR/link.tar" linkimg >/dev/null
    run -125 rli run --rm -v "$BATS_TEST_TMPDIR/vol:/rootlink" linkimg /bin/true
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == "rl: "*"('/rootlink'): the destination resolves to the container's root '/': mount somewhere else" ]]
    # what may go there still does
    run -0 rli run --rm -v "$BATS_TEST_TMPDIR/vol:/rootlink/v" linkimg /bin/sh -c 'test -d /v && echo ok'
    [ "$output" = ok ]
}

@test "run: podman's default capabilities; --cap-add, --cap-drop, --privileged" {
    run -0 rli run --rm -u 0 "$IMG" 'grep CapEff /proc/self/status'
    [ "$output" = "CapEff:	00000000800405fb" ]
    run -0 rli run --rm -u 0 --cap-drop all --cap-add net_raw "$IMG" 'grep CapEff /proc/self/status'
    [ "$output" = "CapEff:	0000000000002000" ]
    run -0 rli run --rm -u 0 --cap-drop CAP_CHOWN "$IMG" 'grep CapBnd /proc/self/status'
    [ "$output" = "CapBnd:	00000000800405fa" ]
    run -0 rli run --rm -u 0 --privileged "$IMG" 'grep -c "" /proc/keys >/dev/null; grep CapEff /proc/self/status; grep Seccomp: /proc/self/status'
    [[ "${lines[0]}" == "CapEff:	000001ffffffffff" || "${lines[0]}" == "CapEff:	000000ffffffffff" ]]
    [ "${lines[1]}" = "Seccomp:	0" ]
    run -0 rli run --rm "$IMG" 'grep CapEff /proc/self/status'
    [ "$output" = "CapEff:	0000000000000000" ]
    run -125 rli run --rm --cap-add CAP_NOPE "$IMG" true
    [ "$output" = "rl: --cap-add 'CAP_NOPE': unknown capability" ]
}

@test "run: seccomp by default (podman's profile), unconfined, a profile file; no-new-privileges" {
    run -0 rli run --rm "$IMG" 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
    [ "${lines[0]}" = "NoNewPrivs:	0" ]
    [ "${lines[1]}" = "Seccomp:	2" ]
    # podman's profile answers io_pgetevents with EPERM; the kernel, EINVAL
    run -0 rli run --rm -v "$WORK/bin/sysc:/sysc:ro" --entrypoint /sysc "$IMG" io_pgetevents
    [ "$output" = EPERM ]
    run -0 rli run --rm --security-opt seccomp=unconfined -v "$WORK/bin/sysc:/sysc:ro" --entrypoint /sysc "$IMG" io_pgetevents
    [ "$output" = EINVAL ]
    run -0 rli run --rm --security-opt seccomp=unconfined --security-opt no-new-privileges "$IMG" \
        'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
    [ "${lines[0]}" = "NoNewPrivs:	1" ]
    [ "${lines[1]}" = "Seccomp:	0" ]
    cat > "$BATS_TEST_TMPDIR/prof.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
JSON
    run -1 rli run --rm -u 0 --security-opt "seccomp=$BATS_TEST_TMPDIR/prof.json" "$IMG" 'mkdir /tmp/x'
    [[ "$output" == *"Operation not permitted"* ]]
    echo '{' > "$BATS_TEST_TMPDIR/bad.json"
    run -125 rli run --rm --security-opt "seccomp=$BATS_TEST_TMPDIR/bad.json" "$IMG" true
    [[ "$output" == "rl: --security-opt seccomp: "*bad.json* ]]
}

@test "run: masked and read-only paths as podman" {
    run -0 rli run --rm -u 0 "$IMG" 'cat /proc/keys | wc -c; echo 1 > /proc/sys/kernel/ns_last_pid 2>&1 || echo ro'
    [ "${lines[0]}" = 0 ]
    [[ "$output" == *ro* ]]
}

@test "run: --ulimit" {
    run -0 rli run --rm --ulimit nofile=100:200 "$IMG" 'ulimit -n; ulimit -Hn'
    [ "${lines[0]}" = 100 ] && [ "${lines[1]}" = 200 ]
    run -125 rli run --rm --ulimit nofile=300:200 "$IMG" true
    run -125 rli run --rm --ulimit bogus=1 "$IMG" true
    [ "$output" = "rl: --ulimit 'bogus=1': unknown limit 'bogus'" ]
}

@test "run: --pid/--ipc/--uts host, --network none and host" {
    sleep 30 &
    spid=$!
    run -0 rli run --rm --pid host "$IMG" "test -d /proc/$spid && echo seen"
    kill $spid
    [ "$output" = seen ]
    run -0 rli run --rm --uts host "$IMG" hostname
    [ "$output" = "$(hostname)" ]
    run -0 rli run --rm --ipc host "$IMG" true
    run -0 rli run --rm --network none "$IMG" 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
    [ "$output" = lo ]
    run -0 rli run --rm --network host "$IMG" 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort'
    [ "$output" = "$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort)" ]
    run -125 rli run --rm --network bridge9 "$IMG" true
    [[ "$output" == "rl: --network 'bridge9'"* ]]
    run -125 rli run --rm --pid container:x "$IMG" true
}

@test "run: -i passes stdin, without -i the container reads /dev/null; -t gives a terminal" {
    run -0 sh -c "echo piped | '$RL' --root '$STORE' run --rm -i --entrypoint '' '$IMG' cat"
    [ "$output" = piped ]
    run -0 sh -c "echo piped | '$RL' --root '$STORE' run --rm --entrypoint '' '$IMG' cat"
    [ "$output" = "" ]
    run -0 script -qec "'$RL' --root '$STORE' run --rm -t --entrypoint '' '$IMG' sh -c 'test -t 0 && test -t 1 && echo tty'" /dev/null
    [[ "$output" == *tty* ]]
}

@test "run: --pull=never, missing (default) and always" {
    rli system reset -f
    run -125 rli run --rm --pull=never "$IMG" true
    [[ "$output" == *"image not known"* ]]
    run -0 rli run --rm "$REG/multi:gzip" true
    [[ "$output" == *"Trying to pull"* ]]
    run -0 rli run --rm --pull=always "$REG/multi:gzip" true
    [[ "$output" == *"Trying to pull"* ]]
    run -0 rli run --rm "$REG/multi:gzip" echo quiet
    [ "$output" = quiet ]
}

@test "create: records a container from an image and prints its id" {
    run -0 rli create --name c1 "$IMG" echo hi
    [[ "$output" =~ ^[0-9a-f]{64}$ ]]
    [ -f "$STORE/containers/$output/config.json" ]
    [ "$(jq -r '.process.args | join(" ")' "$STORE/containers/$output/config.json")" = "/bin/sh -c echo hi" ]
    # the image's Labels and StopSignal, as the OCI conversion says
    [ "$(jq -r '.annotations.test' "$STORE/containers/$output/config.json")" = rl ]
    [ "$(jq -r '.annotations["org.opencontainers.image.stopSignal"]' "$STORE/containers/$output/config.json")" = SIGINT ]
}

@test "run: eight at once all succeed" {
    for i in 1 2 3 4 5 6 7 8; do
        "$RL" --root "$STORE" run --rm --entrypoint '' "$IMG" sh -c "echo run$i" > "$BATS_TEST_TMPDIR/out$i" 2>&1 &
    done
    wait
    for i in 1 2 3 4 5 6 7 8; do [ "$(cat "$BATS_TEST_TMPDIR/out$i")" = "run$i" ]; done
    run -0 ls "$STORE/containers"
    [ -z "$output" ]
}

@test "run: --userns=host is the user's own mapping" {
    run -0 rli run --rm --userns host --entrypoint '' "$IMG" cat /proc/self/uid_map
    [ "$(echo "${lines[0]}" | xargs)" = "0 $(id -u) 1" ]
}

# The image's files with owners as the layers say, whoever looks.
owners_in() {
    rli "$@" sh -c 'find /data /opq | sort | while read f; do stat -c "%n %u %g %a %F %s" "$f"; done' |
        awk '$5=="directory"{$6="-"} {print}'
}

@test "run: --userns=keep-id: you inside, your files yours, the image's owners unchanged" {
    rli pull -q "$REG/multi:gzip" >/dev/null
    me=$(id -u) mg=$(id -g) name=$(id -un)
    mkdir "$BATS_TEST_TMPDIR/share"
    # overlay cannot shift owners: fuse-overlayfs does; vfs copies shifted
    for drv in overlay vfs; do
        run -0 owners_in --storage-driver $drv run --rm --userns=keep-id "$REG/multi:gzip"
        diff <(echo "$output") "$IMAGES/multi.expected"
        run -0 rli --storage-driver $drv run --rm --userns=keep-id -v "$BATS_TEST_TMPDIR/share:/share" \
            "$REG/multi:gzip" sh -c 'id -un; id -u; id -g; echo $HOME; stat -c %u:%g /share /; touch /share/from-$0' $drv
        [ "${lines[*]}" = "$name $me $mg $HOME $me:$mg 0:0" ]
        [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/share/from-$drv")" = "$me:$mg" ]
    done
    # container root's writes land as the user's own in the store, as without keep-id
    run -0 rli run --name kid --userns=keep-id -u 0 "$REG/multi:gzip" sh -c 'touch /made; id -u; cat /proc/self/uid_map | wc -l'
    [ "${lines[0]}" = 0 ] && [ "${lines[1]}" = 3 ]
    [ "$(jq -r .driver "$STORE"/containers/*/container.json)" = fuse-overlayfs ]
    [ "$(stat -c %u "$STORE"/containers/*/upper/made)" = "$me" ]
    # keep-id:uid=N,gid=N puts you at another id
    run -0 rli run --rm --userns=keep-id:uid=4000,gid=4001 "$REG/multi:gzip" sh -c 'id -u; id -g; stat -c %u /share 2>/dev/null; grep -c :4000:4001: /etc/passwd'
    [ "${lines[*]}" = "4000 4001 1" ]
}

@test "run: bad --userns values are one line and exit 125" {
    run -125 rli run --rm --userns bogus "$IMG" true
    [ "$output" = "rl: --userns 'bogus': use host, private or keep-id[:uid=N,gid=N]" ]
    run -125 rli run --rm --userns keep-id:uid=x "$IMG" true
    [ "$output" = "rl: --userns keep-id: uid 'x' is not a number" ]
    run -125 rli run --rm --userns keep-id:size=3 "$IMG" true
    [ "$output" = "rl: --userns keep-id: unknown option 'size=3' (use uid=N, gid=N)" ]
    run -0 ls "$STORE/containers"
    [ -z "$output" ]
}
