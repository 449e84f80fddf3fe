#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The many-file pull image's tree, made once per machine (as root) and kept:
# a Debian 12 minbase with python3 and pip from Debian's archive, about 11k
# files in 300 MB, whose pull costs creating files rather than inflating.
#   manyfile.sh DIR   → DIR/root, or exit 1 (no debootstrap or no archive)
set -u
dir=$1
[ -f "$dir/root/.rl-bench-done" ] && exit 0
command -v debootstrap >/dev/null || { echo "(no debootstrap: many-file pull left out)" >&2; exit 1; }
rm -rf "$dir/root" && mkdir -p "$dir"
if ! debootstrap --variant=minbase --include=python3,python3-pip bookworm "$dir/root" \
        "${RL_BENCH_MIRROR:-http://deb.debian.org/debian}" > "$dir/debootstrap.log" 2>&1; then
    echo "(debootstrap failed, see $dir/debootstrap.log: many-file pull left out)" >&2
    exit 1
fi
touch "$dir/root/.rl-bench-done"
