#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs what building and testing rl needs, from Debian's archive.
# Run as root (make check / make demo do); a user gets told what to install.
set -e
PKGS="gcc make pkg-config libseccomp-dev libcap-dev libsubid-dev libjson-c-dev libcmocka-dev
      bats busybox-static uidmap podman runc crun bubblewrap hyperfine jq python3-jsonschema
      clang libclang-rt-14-dev clang-format bc procps util-linux iproute2 git
      slirp4netns fuse-overlayfs catatonit tmux libslirp-dev libmnl-dev libnftnl-dev libnetfilter-queue-dev iperf3 netcat-openbsd
      libcurl4-openssl-dev libssl-dev libarchive-dev libzstd-dev libisal-dev zlib1g-dev
      docker-registry skopeo umoci python3 curl openssl zstd libcap2-bin passt debootstrap"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "rl: missing packages:$missing; install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
