#!/usr/bin/env bats
# Rootless networking (issue 5), the parts built so far: libslirp in the
# monitor on a tap device (outbound TCP to the host, host loopback off by
# default), none and host modes, resolv.conf / hosts / hostname, and the
# option errors.

load helpers

setup() {
    use_store
    rli pull -q "$REG/small" >/dev/null
    IMG=$REG/small
    HOST_IP=$(ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -1)
    [ -n "$HOST_IP" ]
}
teardown() {
    [ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true
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
    [ "$output" = "rl: --network 'bogus': unknown mode (use slirp, none, host or container:NAME)" ]
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
