#!/bin/sh
# make demo: a rootless container from Debian's busybox-static, no network.
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
    exec runuser -u "$user" -- env RL_DEMO_RL="$d/rl" sh "$d/demo.sh"
fi
RL=${RL_DEMO_RL:-$RL}
B=$(mktemp -d /tmp/rl-demo-bundle-XXXXXX)
trap 'rm -rf "$B"' EXIT
mkdir -p "$B/rootfs/bin" "$B/rootfs/proc" "$B/rootfs/sys" "$B/rootfs/dev" "$B/rootfs/tmp" "$B/rootfs/etc"
cp /bin/busybox "$B/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$B/rootfs/bin/$a"; done
cd "$B"
"$RL" oci spec
sed -i 's/"sh"/"sh", "-c", "echo \\"hello from a rootless container: uid $(id -u), pid $$, host $(hostname)\\"; cat \/proc\/self\/uid_map"/' config.json
echo "\$ rl oci run demo   (as $(id -un), uid $(id -u))"
"$RL" oci run demo
