#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Rootless networking (issue 5): libslirp in the monitor on a tap device
# (outbound TCP to the host, host loopback off by default), published ports
# (TCP spliced, UDP relayed, both by the monitor), none and host modes,
# resolv.conf / hosts / hostname, and the option errors.

load helpers

setup() {
    use_small_image
    HOST_IP=$(ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -1)
    [ -n "$HOST_IP" ]
}
teardown() {
    [ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true
    [ -z "${SERVER2:-}" ] || kill "$SERVER2" 2>/dev/null || true
    store_teardown
}

# A TCP server on the host that answers every connection with one line.
serve() { # ADDR PORT TEXT
    python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(sys.argv[3].encode() + b"\n"); c.close()
' "$1" "$2" "$3" &
    SERVER=$!
    for _ in $(seq 50); do nc -z "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

@test "slirp is the default: tap0 with 10.0.2.100/24, the default route via 10.0.2.2, MTU 65520" {
    run -0 rli run --rm "$IMG" 'ip -o -4 addr show tap0; ip route; cat /sys/class/net/tap0/mtu'
    [[ "$output" == *"tap0"*"inet 10.0.2.100/24"* ]]
    [[ "$output" == *"default via 10.0.2.2 dev tap0"* ]]
    [[ "$output" == *65520* ]]
    run -0 rli run --rm --network slirp:mtu=1500 "$IMG" 'cat /sys/class/net/tap0/mtu'
    [ "$output" = 1500 ]
}

@test "outbound: a server on the host's address, by IP and by host.containers.internal" {
    serve "$HOST_IP" 18081 hello-from-host
    run -0 rli run --rm "$IMG" "nc $HOST_IP 18081 </dev/null"
    [ "$output" = hello-from-host ]
    run -0 rli run --rm "$IMG" 'nc host.containers.internal 18081 </dev/null'
    [ "$output" = hello-from-host ]
    # a detached container has its network for as long as it runs
    run -0 rli run -d --name out1 "$IMG" "sleep 1; nc $HOST_IP 18081 </dev/null; sleep 100"
    for _ in $(seq 50); do rli logs out1 | grep -q hello && break; sleep 0.1; done
    run -0 rli logs out1
    [ "$output" = hello-from-host ]
    run -0 rli rm -f -t 0 out1
}

# Reads SIZE bytes and answers with their md5, or (send) sends SIZE random
# bytes and writes their md5 to FILE; for every connection.
bulk() { # ADDR PORT SIZE recv|send FILE
    python3 -c '
import hashlib, os, socket, sys
addr, port, size, mode, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(8)
while True:
    c, _ = s.accept(); h = hashlib.md5()
    if mode == "recv":
        got = 0
        while got < size:
            b = c.recv(65536)
            if not b: break
            h.update(b); got += len(b)
        c.sendall(("%d %s\n" % (got, h.hexdigest())).encode())
    else:
        data = os.urandom(size); h.update(data)
        try:
            c.sendall(data); open(out, "w").write(h.hexdigest() + "\n")
        except OSError:
            pass # the readiness probe
    c.close()
' "$@" &
    SERVER2=$!
    for _ in $(seq 50); do nc -z "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

@test "outbound TCP past slirp: set up, every byte both ways, refused ports refused, many at once, after a restart" {
    # the rules and listener are in place (else a debug line says slirp carries it)
    run -0 rli --log-level debug run --rm "$IMG" true
    [[ "$output" != *"stays with slirp"* ]]
    serve "$HOST_IP" 18085 hello-fast
    bulk "$HOST_IP" 18087 20000000 recv -
    run -0 rli run --rm "$IMG" "head -c 20000000 /dev/urandom > /tmp/up; md5sum < /tmp/up | cut -d' ' -f1; nc $HOST_IP 18087 < /tmp/up"
    [ "${lines[1]}" = "20000000 ${lines[0]}" ]
    kill "$SERVER2"
    bulk "$HOST_IP" 18088 20000000 send "$BATS_TEST_TMPDIR/sent.md5"
    # (busybox nc drops the connection at its stdin's end: -e reads it all)
    run -0 rli run --rm "$IMG" "nc $HOST_IP 18088 -e sh -c 'md5sum > /tmp/down'; cut -d' ' -f1 /tmp/down"
    [ "$output" = "$(cat "$BATS_TEST_TMPDIR/sent.md5")" ]
    kill "$SERVER2"
    # nothing listens on 18089: the container's connect is refused, as with slirp
    run rli run --rm "$IMG" "nc $HOST_IP 18089 </dev/null"
    [ "$status" -ne 0 ]
    [[ "$output" == *"Connection refused"* ]]
    run -0 rli run --rm "$IMG" "for i in \$(seq 30); do nc $HOST_IP 18085 </dev/null & done; wait"
    [ "$(grep -c '^hello-fast$' <<<"$output")" -eq 30 ]
    # a restart makes a new netns: the path is set up again; exec shares it
    run -0 rli run -d --name rs1 --restart on-failure:1 "$IMG" \
        "nc $HOST_IP 18085 </dev/null; [ -e /tmp/again ] && exec sleep 100; touch /tmp/again; exit 3"
    for _ in $(seq 100); do [ "$(rli logs rs1 | grep -c hello-fast)" -ge 2 ] && break; sleep 0.1; done
    run -0 rli logs rs1
    [ "$output" = "hello-fast"$'\n'"hello-fast" ]
    run -0 rli exec rs1 sh -c "nc $HOST_IP 18085 </dev/null"
    [ "$output" = hello-fast ]
    run -0 rli rm -f -t 0 rs1
}

@test "host loopback: off by default, on with allow_host_loopback=true (10.0.2.2 is the host's 127.0.0.1)" {
    serve 127.0.0.1 18082 hello-loopback
    run rli run --rm "$IMG" 'nc -w 2 10.0.2.2 18082 </dev/null'
    [ "$status" -ne 0 ]
    [[ "$output" != *hello-loopback* ]]
    run -0 rli run --rm --network slirp:allow_host_loopback=true "$IMG" 'nc 10.0.2.2 18082 </dev/null; grep host.containers /etc/hosts'
    [[ "$output" == "hello-loopback"*"10.0.2.2	host.containers.internal"* ]]
}

@test "--network none has only lo; --network host has the host's interfaces" {
    run -0 rli run --rm --network none "$IMG" 'ls /sys/class/net'
    [ "$output" = lo ]
    run -0 rli run --rm --network host "$IMG" 'ls /sys/class/net | sort | tr "\n" " "'
    [ "$output" = "$(ls /sys/class/net | sort | tr '\n' ' ')" ]
}

@test "resolv.conf, hosts, hostname: slirp's DNS, --dns, --dns-search, --dns-option, --add-host, --no-hosts" {
    run -0 rli run --rm --name named1 --hostname box "$IMG" 'cat /etc/resolv.conf; cat /etc/hosts; cat /etc/hostname'
    [[ "$output" == *"nameserver 10.0.2.3"* ]]
    [[ "$output" == *"127.0.0.1	localhost"* ]]
    [[ "$output" == *"10.0.2.100	box named1"* ]]
    [[ "$output" == *"$HOST_IP	host.containers.internal"* ]]
    [ "${lines[-1]}" = box ]
    run -0 rli run --rm --dns 192.0.2.53 --dns-search a.example --dns-search b.example --dns-option ndots:2 \
        --add-host db.local:192.0.2.9 --add-host gw:host-gateway "$IMG" 'cat /etc/resolv.conf /etc/hosts'
    [[ "$output" == *"search a.example b.example"*"nameserver 192.0.2.53"*"options ndots:2"* ]]
    [[ "$output" != *10.0.2.3* ]]
    [[ "$output" == *"192.0.2.9	db.local"* ]]
    [[ "$output" == *"$HOST_IP	gw"* ]]
    # --no-hosts: the image's /etc/hosts (it has none)
    run -0 rli run --rm --no-hosts "$IMG" 'cat /etc/hosts 2>&1; true'
    [[ "$output" == *"No such file"* ]]
    # host: the host's resolvers and hosts file
    run -0 rli run --rm --network host "$IMG" 'cat /etc/resolv.conf'
    [ "$output" = "$(grep -E '^(search|nameserver|options)' /etc/resolv.conf)" ]
}

@test "bad network options: one line, 125, nothing created" {
    for args in "--network bogus" "--network slirp:nope=1" "--network slirp:mtu=70000" \
        "--network slirp:allow_host_loopback=yes" "--network container:" "--dns 1.2.3" \
        "--dns-search bad..name/" "--add-host noip" "--add-host name:999.1.1.1" \
        "--dns-option" ; do
        run -125 rli run --rm $args "$IMG" true
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == "rl: "* ]]
    done
    run -125 rli run --network bogus "$IMG" true
    [ "$output" = "rl: --network 'bogus': unknown mode (use slirp, bridge, none, host or container:NAME)" ]
    run -0 rli ps -aq
    [ -z "$output" ]
}

@test "when the container exits, its monitor and slirp are gone; nothing is left in the runtime dir" {
    run -0 rli run -d --name gone1 "$IMG" 'sleep 100'
    id=$output
    mon=$(jq -r .monitor_pid "$STORE/containers/$id/state.json")
    grep -q libslirp "/proc/$mon/maps"
    run -0 rli rm -f -t 0 gone1
    for _ in $(seq 20); do kill -0 "$mon" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$mon" 2>/dev/null
}

# netecho (tests/helpers) in the container: it answers "from ADDR:PORT got LINE"
NETECHO="-v $RL_WORK/bin/netecho:/netecho:ro"

# Until something accepts TCP connections on 127.0.0.1:PORT.
wait_port() {
    for _ in $(seq 50); do nc -z 127.0.0.1 "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

@test "-p 18180:80: busybox httpd in the container serves a file to curl on the host" {
    run -0 rli run -d --name web1 -p 18180:80 "$IMG" \
        'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'
    wait_port 18180
    run -0 curl -sS -m 5 http://127.0.0.1:18180/index.html
    [ "$output" = hello-from-web ]
    run -0 curl -sS -m 5 "http://$HOST_IP:18180/index.html"
    [ "$output" = hello-from-web ]
    # a larger body, both ways intact
    run -0 rli exec web1 sh -c 'head -c 3000000 /dev/zero | tr "\0" x > /tmp/www/big'
    run -0 sh -c "curl -sS -m 10 http://127.0.0.1:18180/big | wc -c"
    [ "$output" = 3000000 ]
    run -0 rli rm -f -t 0 web1
}

@test "published TCP keeps the client's IPv4 address (host loopback shows as 10.0.2.2); UDP by nc -u" {
    run -0 rli run -d --name echo1 $NETECHO -p 18181:7 -p 18182:7/udp "$IMG" '/netecho tcp 7 & exec /netecho udp 7'
    wait_port 18181
    run -0 sh -c "echo one | nc -w 5 $HOST_IP 18181"
    [[ "$output" == "from $HOST_IP:"*" got one" ]]
    run -0 sh -c "echo two | nc -w 5 127.0.0.1 18181"
    [[ "$output" == "from 10.0.2.2:"*" got two" ]]
    run -0 sh -c "echo three | nc -u -w 2 127.0.0.1 18182"
    [[ "$output" == "from 127.0.0.1:"*" got three" ]]
    run -0 sh -c "echo four | nc -u -w 2 $HOST_IP 18182"
    [[ "$output" == *" got four" ]]
    run -0 rli rm -f -t 0 echo1
}

@test "two containers on two ports at once; a busy port fails the run up front, nothing created" {
    run -0 rli run -d --name a1 $NETECHO -p 18183:7 "$IMG" 'exec /netecho tcp 7'
    run -0 rli run -d --name b1 $NETECHO -p 18184:7 "$IMG" 'exec /netecho tcp 7'
    wait_port 18183 && wait_port 18184
    run -0 sh -c "echo to-a | nc -w 5 127.0.0.1 18183; echo to-b | nc -w 5 127.0.0.1 18184"
    [[ "${lines[0]}" == *"got to-a" ]] && [[ "${lines[1]}" == *"got to-b" ]]
    # taken by a1, then by a program on the host
    run -125 rli run -d --name c1 -p 18183:7 "$IMG" 'sleep 100'
    [ "$output" = "rl: host port 18183/tcp on 0.0.0.0 is already in use: stop what listens there or publish on another port (-p)" ]
    serve 127.0.0.1 18185 held
    run -125 rli run --rm -p 18185:80 "$IMG" 'echo started'
    [[ "$output" == "rl: host port 18185/tcp on 0.0.0.0 is already in use"* ]]
    [[ "$output" != *started* ]]
    run -0 rli ps -a --format '{{.Names}}'
    [ "$(echo "$output" | sort | tr '\n' ' ')" = "a1 b1 " ]
    run -0 rli rm -f -t 0 a1 b1
}

@test "ranges, random host ports, -P with --expose and the image's ExposedPorts; rl port, ps PORTS, inspect" {
    run -0 rli run -d --name p1 $NETECHO -p 18190-18191:7000-7001 -p 127.0.0.1::7/udp --expose 7002 -P "$IMG" \
        '/netecho tcp 7000 & /netecho tcp 8080 & /netecho tcp 7002 & exec /netecho udp 7'
    run -0 rli port p1
    [ "${lines[0]}" = "7000/tcp -> 0.0.0.0:18190" ]
    [ "${lines[1]}" = "7001/tcp -> 0.0.0.0:18191" ]
    [[ "${lines[2]}" =~ ^7/udp\ -\>\ 127\.0\.0\.1:[0-9]+$ ]]
    udp=${lines[2]##*:}
    [[ "$output" =~ 7002/tcp\ -\>\ 0\.0\.0\.0:([0-9]+) ]]
    p7002=${BASH_REMATCH[1]}
    [[ "$output" =~ 8080/tcp\ -\>\ 0\.0\.0\.0:([0-9]+) ]]
    p8080=${BASH_REMATCH[1]}
    [ "${#lines[@]}" -eq 5 ]
    wait_port 18190 && wait_port "$p8080" && wait_port "$p7002"
    run -0 sh -c "echo r | nc -w 5 127.0.0.1 18190; echo x | nc -w 5 127.0.0.1 $p8080; echo e | nc -w 5 127.0.0.1 $p7002; echo u | nc -u -w 2 127.0.0.1 $udp"
    [[ "$output" == *"got r"*"got x"*"got e"*"got u"* ]]
    run -0 rli port p1 7/udp
    [ "$output" = "127.0.0.1:$udp" ]
    run -125 rli port p1 9999
    [ "$output" = "rl: container $(rli inspect -f '{{.Id}}' p1 | cut -c1-12) does not publish port 9999/tcp" ]
    run -0 rli ps --format '{{.Ports}}'
    [[ "$output" == "0.0.0.0:18190-18191->7000-7001/tcp, 127.0.0.1:$udp->7/udp, "* ]]
    run -0 rli ps
    [[ "${lines[1]}" == *"0.0.0.0:18190-18191->7000-7001/tcp"* ]]
    run -0 rli inspect p1
    [ "$(echo "$output" | jq -r '.[0].NetworkSettings.IPAddress')" = 10.0.2.100 ]
    [ "$(echo "$output" | jq -r '.[0].NetworkSettings.Gateway')" = 10.0.2.2 ]
    [ "$(echo "$output" | jq -r '.[0].NetworkSettings.Ports["7001/tcp"][0].HostPort')" = 18191 ]
    [ "$(echo "$output" | jq -r '.[0].NetworkSettings.Ports["7/udp"][0].HostIp')" = 127.0.0.1 ]
    [ "$(echo "$output" | jq -r '.[0].HostConfig.NetworkMode')" = slirp4netns ]
    # picked at create, as podman does: the same host ports at every start
    before=$(rli port p1)
    run -0 rli stop -t 0 p1
    run -0 rli start p1
    run -0 rli port p1
    [ "$output" = "$before" ]
    run -0 rli rm -f -t 0 p1
    run -0 rli create --name p2 -P "$IMG" true
    run -0 rli port p2
    [[ "$output" =~ ^8080/tcp\ -\>\ 0\.0\.0\.0:[0-9]+$ ]]
    run -0 rli rm p2
}

@test "when the container exits, its published ports are free again at once" {
    run -0 rli run -d --name f1 $NETECHO -p 18186:7 -p 18186:7/udp "$IMG" 'exec /netecho tcp 7'
    wait_port 18186
    run -0 rli stop -t 0 f1
    python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0",18186)); s.listen(); u=socket.socket(type=socket.SOCK_DGRAM); u.bind(("0.0.0.0",18186))'
    # exiting by itself, and started again: the same ports
    run -0 rli start f1
    wait_port 18186
    run -0 rli run -d --name f2 -p 18187:7 "$IMG" 'sleep 0.5'
    run -0 rli wait f2
    python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0",18187)); s.listen()'
    run -0 rli rm -f -t 0 f1 f2
    run -0 rli ps -aq
    [ -z "$output" ]
    # no helper, monitor or tap left behind
    run pgrep -u "$(id -u)" -f -- 'netecho|--name f[12] '
    [ "$status" -ne 0 ]
}

@test "bad -p and --expose values: one line, 125, nothing created" {
    for p in 0 70000 8080:0 "8010-8000:80" "80/sctp" "999.1.1.1:80:80" "[::1]:80" "abc" "8000-8002:80-81" ""; do
        run -125 rli run --rm -p "$p" "$IMG" true
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == "rl: -p '$p': "* ]]
    done
    run -125 rli run --rm --expose 80:80 "$IMG" true
    [ "${#lines[@]}" -eq 1 ]
    run -125 rli run --rm -p 8080:80 --network none "$IMG" true
    [ "$output" = "rl: -p: published ports need the default network (slirp), not --network none" ]
    run -125 rli run --rm -p 18188:80 -p 18188:81 "$IMG" true
    [ "$output" = "rl: -p: host port 18188/tcp is published twice" ]
    run -0 rli ps -aq
    [ -z "$output" ]
}

@test "--network container:NAME shares that container's network (and files), only while it runs" {
    run -0 rli run -d --name base1 $NETECHO --add-host db.example:192.0.2.77 "$IMG" 'exec /netecho tcp 7'
    base=$output
    run -0 rli run --rm --network container:base1 "$IMG" 'ip -o -4 addr show tap0; echo hi | nc 127.0.0.1 7; grep db.example /etc/hosts'
    [[ "${lines[0]}" == *"inet 10.0.2.100/24"* ]]
    [[ "${lines[1]}" == "from 127.0.0.1:"*" got hi" ]]
    [[ "${lines[2]}" == "192.0.2.77	db.example" ]]
    # kept by id: a rename of the other container does not break it
    run -0 rli create --name j1 --network container:base1 "$IMG" 'echo hi | nc 127.0.0.1 7'
    [ "$(rli inspect -f '{{.HostConfig.NetworkMode}}' j1)" = "container:$base" ]
    run -0 rli rename base1 base2
    run -0 rli start -a j1
    [[ "$output" == *" got hi" ]]
    run -0 rli stop -t 0 base2
    run -125 rli start j1
    [ "$output" = "rl: --network container:base2: that container is not running; start it first" ]
    run -125 rli run --rm --network container:nope "$IMG" true
    [ "$output" = "rl: --network container:nope: no container with name or id 'nope' (see rl ps -a)" ]
    run -125 rli run --rm --userns keep-id --network container:base2 "$IMG" true
    [[ "$output" == "rl: --userns and --network container:base2 conflict"* ]]
    run -0 rli rm -f -t 0 j1 base2
}

@test "a container others join (container:NAME) stays until they go: rm refused, prune keeps it; rm of both, rm -a, rm --depend take both" {
    run -0 rli run -d --name base1 "$IMG" 'sleep 600'
    base=$output
    run -0 rli run -d --name j1 --network container:base1 "$IMG" 'sleep 600'
    j1=$output
    run -125 rli rm -f base1
    [ "$output" = "rl: container ${base:0:12} has dependent containers which must be removed before it: ${j1:0:12} (they use --network container:${base:0:12}; rl rm them first)" ]
    [ "$(rli inspect -f '{{.State.Status}}' base1)" = running ]
    # stopped, with its joiner still running: prune leaves it
    run -0 rli stop -t 0 base1
    run -0 rli container prune -f
    [ "$(rli ps -a -q --no-trunc | sort)" = "$(printf '%s\n' "$base" "$j1" | sort)" ]
    # named together, both go
    run -0 rli rm -f -t 0 j1 base1
    [ -z "$(rli ps -a -q)" ]
    run -0 rli run -d --name base2 "$IMG" 'sleep 600'
    run -0 rli create --name j2 --network container:base2 "$IMG" true
    run -0 rli rm -a -f -t 0
    [ "${#lines[@]}" = 2 ]
    [ -z "$(rli ps -a -q)" ]
    # --depend: its joiners, and theirs, go with it
    run -0 rli run -d --name base3 "$IMG" 'sleep 600'
    run -0 rli create --name j3 --network container:base3 "$IMG" true
    j3=$(rli inspect -f '{{.Id}}' j3)
    run -0 rli rm -f -t 0 --depend base3
    [ "$output" = "$(printf 'base3\n%s' "$j3")" ]
    [ -z "$(rli ps -a -q)" ]
    run -125 rli stop --depend base3
    [[ "$output" == "rl: stop: "*"--depend"* ]]
}

@test "DNS through 10.0.2.3 answers as the host's resolver does (a name in the host's /etc/hosts)" {
    grep -q rl-dns-test.example /etc/hosts || { echo "make check adds rl-dns-test.example to /etc/hosts"; false; }
    run -0 rli run --rm "$IMG" 'nslookup rl-dns-test.example'
    [[ "$output" == *"Server:"*"10.0.2.3"* ]]
    [[ "$output" == *"Address: 192.0.2.123"* ]]
    # no such name: NXDOMAIN; a name without IPv6 addresses: no AAAA, still no error
    run rli run --rm "$IMG" 'nslookup nonexistent.invalid'
    [[ "$output" == *"nonexistent.invalid: NXDOMAIN"* ]]
    run -0 rli run --rm "$IMG" 'nslookup -type=AAAA rl-dns-test.example'
    [[ "$output" != *NXDOMAIN* ]]
    # and programs resolve it by name
    run -0 rli run --rm "$IMG" 'ping -c1 -W1 rl-dns-test.example 2>&1 | head -1'
    [[ "$output" == "PING rl-dns-test.example (192.0.2.123)"* ]]
}
