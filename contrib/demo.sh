#!/bin/sh
# make demo: import a busybox-static root filesystem as the image "demo" into
# the user's own store and run it rootless: no network, no registry.
# Run as a user, or as root (then as the test user, since rl is rootless).
set -e
cd "$(dirname "$0")/.."
RL=$PWD/build/rl
if [ "$(id -u)" = 0 ]; then
    user=${RL_TEST_USER:-rltest}
    id "$user" >/dev/null 2>&1 || useradd -m -s /bin/sh "$user"
    grep -q "^$user:" /etc/subuid || usermod --add-subuids 200000-265535 --add-subgids 200000-265535 "$user"
    d=$(mktemp -d /tmp/rl-demo-XXXXXX)
    cp "$RL" contrib/demo.sh "$d/"
    chmod -R a+rX "$d"
    exec runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$(getent passwd "$user" | cut -d: -f6)" \
        RL_DEMO_RL="$d/rl" sh "$d/demo.sh"
fi
RL=${RL_DEMO_RL:-$RL}
T=$(mktemp -d /tmp/rl-demo-rootfs-XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/rootfs/bin" "$T/rootfs/etc" "$T/rootfs/tmp" "$T/rootfs/root"
cp /bin/busybox "$T/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$T/rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$T/rootfs/etc/passwd"
printf 'root:x:0:\n' > "$T/rootfs/etc/group"
tar -C "$T/rootfs" -czf "$T/demo.tar.gz" .
echo "\$ rl import demo.tar.gz demo   (as $(id -un), uid $(id -u))"
"$RL" import "$T/demo.tar.gz" demo
echo "\$ rl images"
"$RL" images
echo "\$ rl run --rm demo sh -c '...'"
"$RL" run --rm demo sh -c 'echo "hello from a rootless container: uid $(id -u), pid $$, host $(hostname)"; cat /proc/self/uid_map'
