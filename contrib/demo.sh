#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make demo: rl's main job on a fresh machine, rootless, with no internet.
# Imports a busybox image built here ("demo", with a web page in it) into the
# user's own store, runs a command in it, then a detached web server on a
# published port that curl on the host answers from: ps, logs, stop, rm.
# As root (the README's way): prepares what a distribution would (device
# modes, a user with subordinate ids) and runs the demo as that user.
# As a user: says in one line what to ask an admin for if something is missing.
set -e
cd "$(dirname "$0")/.."
RL=$PWD/build/rl

# What rootless networking and the fuse fallback need, as distributions ship them.
if [ "$(id -u)" = 0 ]; then
    chmod 0666 /dev/net/tun /dev/fuse
    user=${RL_TEST_USER:-rltest}
    id "$user" >/dev/null 2>&1 || useradd -m -s /bin/sh "$user"
    grep -q "^$user:" /etc/subuid || usermod --add-subuids 200000-265535 --add-subgids 200000-265535 "$user"
    d=$(mktemp -d /tmp/rl-demo-XXXXXX)
    trap 'rm -rf "$d"' EXIT
    cp "$RL" contrib/demo.sh "$d/"
    chmod -R a+rX "$d"
    runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$(getent passwd "$user" | cut -d: -f6)" \
        RL_DEMO_RL="$d/rl" sh "$d/demo.sh"
    exit
fi
if [ ! -r /dev/net/tun ] || [ ! -w /dev/net/tun ]; then
    echo "rl: /dev/net/tun is not readable and writable by you (rootless networking needs it): ask an admin to run 'chmod 0666 /dev/net/tun' (as distributions ship it), or run make demo as root" >&2
    exit 1
fi
if ! grep -q "^$(id -un):" /etc/subuid 2>/dev/null; then
    echo "rl: warning: you have no subordinate ids; the demo runs with uid 0 only. Ask an admin for: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $(id -un)" >&2
fi

RL=${RL_DEMO_RL:-$RL}
T=$(mktemp -d /tmp/rl-demo-rootfs-XXXXXX)
cleanup() {
    "$RL" rm -f rl-demo-web >/dev/null 2>&1 || true
    rm -rf "$T"
}
trap cleanup EXIT
show() { echo "\$ $*"; }

# --- an image built here: busybox and a web page ---
mkdir -p "$T/rootfs/bin" "$T/rootfs/etc" "$T/rootfs/tmp" "$T/rootfs/root" "$T/rootfs/www"
cp /bin/busybox "$T/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$T/rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/www:/bin/false\n' > "$T/rootfs/etc/passwd"
printf 'root:x:0:\nwww:x:33:\n' > "$T/rootfs/etc/group"
echo '<h1>hello from a rootless rl container</h1>' > "$T/rootfs/www/index.html"
tar -C "$T/rootfs" -czf "$T/demo.tar.gz" .

show rl import demo.tar.gz demo "  (as $(id -un), uid $(id -u))"
"$RL" import "$T/demo.tar.gz" demo
show rl images
"$RL" images
show rl run --rm demo sh -c "'...'"
"$RL" run --rm demo sh -c 'echo "hello from a rootless container: uid $(id -u), pid $$, host $(hostname)"; cat /proc/self/uid_map'

# --- a detached web server on a published port ---
port=${RL_DEMO_PORT:-}
if [ -z "$port" ]; then
    for port in 8080 8081 8088 18080 28080; do
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || break
    done
fi
show rl run -d --init --name rl-demo-web -p "$port:80" demo httpd -f -vv -p 80 -h /www
"$RL" run -d --init --name rl-demo-web -p "$port:80" demo httpd -f -vv -p 80 -h /www
show rl ps
"$RL" ps
show curl -s "http://127.0.0.1:$port/"
page=""
for i in 1 2 3 4 5 6 7 8 9 10; do
    page=$(curl -s --max-time 2 "http://127.0.0.1:$port/") && [ -n "$page" ] && break
    sleep 0.2
done
echo "$page"
[ -n "$page" ] || { echo "rl: demo: the web server in rl-demo-web did not answer on port $port" >&2; exit 1; }
show rl logs rl-demo-web
"$RL" logs rl-demo-web
show rl stop rl-demo-web
"$RL" stop rl-demo-web
show rl rm rl-demo-web
"$RL" rm rl-demo-web
show rl ps -a
"$RL" ps -a
echo "demo done: a rootless web server, published, answered, stopped and removed."
