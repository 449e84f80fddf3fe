#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# make check: everything CI runs, on a fresh Debian machine, as root.
#   dependencies → build → test user with subuid/subgid → unit tests →
#   system tests as the user → a root subset → short fuzz runs.
# The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
[ "$(id -u)" = 0 ] || { echo "rl: make check needs root (it installs packages and creates a test user); run it with sudo" >&2; exit 1; }
[ "${1:-}" = --no-deps ] || tests/deps.sh || exit 1

USER_NAME=${RL_TEST_USER:-rltest}
WORK=/tmp/rl-check
export RL_BIN=${RL_BIN:-$TOP/build/rl}

make -s -j"$(nproc)" all unit-bins helpers >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# --- the unprivileged test user, with subordinate ids ---
if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$USER_NAME"
fi
if ! grep -q "^$USER_NAME:" /etc/subuid; then
    usermod --add-subuids 200000-265535 --add-subgids 200000-265535 "$USER_NAME"
fi
# as distributions ship them (rootless networking and fuse-overlayfs need them)
chmod 0666 /dev/net/tun /dev/fuse 2>/dev/null || true
# a name only the host's own resolver knows (its /etc/hosts): the
# container's DNS at 10.0.2.3 must answer it as the host does (180-network)
HOSTS_LINE="192.0.2.123 rl-dns-test.example"
grep -qxF "$HOSTS_LINE" /etc/hosts || echo "$HOSTS_LINE" >> /etc/hosts

# --- a world-readable copy of the binary, tests and a busybox rootfs ---
rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/rootfs/bin"
cp "$RL_BIN" "$WORK/bin/rl"
cp "$(dirname "$RL_BIN")/rl-oci" "$WORK/bin/rl-oci"
cp build/tests/helpers/* "$WORK/bin/"
cp -r tests "$WORK/tests"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ -e "$WORK/rootfs/bin/$a" ] || ln -s busybox "$WORK/rootfs/bin/$a"; done
mkdir -p "$WORK/rootfs"/{proc,sys,dev,etc,tmp,root,home,run}
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$WORK/rootfs/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$WORK/rootfs/etc/group"
tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
chmod -R a+rX "$WORK"

# --- the test registry on loopback, its misbehaving fronts, the test images ---
REG_BASE=${RL_REG_BASE:-55000}
reg_pids=$(tests/images/setup.sh "$WORK" "$REG_BASE") || { echo "registry setup failed"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC2086
trap 'kill $reg_pids 2>/dev/null; sed -i "/^$HOSTS_LINE\$/d" /etc/hosts' EXIT
export RL_BIN="$WORK/bin/rl"

passed=0 failed=0 skipped=0
count_tap() { # reads TAP on stdin, echoes it, updates counters in a file
    local f=$1 line
    while IFS= read -r line; do
        echo "$line"
        case "$line" in
            *"ok "*"# skip"*|*"ok "*"# SKIP"*) echo s >> "$f" ;;
            "ok "*) echo p >> "$f" ;;
            "not ok "*) echo f >> "$f" ;;
        esac
    done
}
tally=$(mktemp)

# A structure check must refuse what it is for: CHECK on a copy of the tree
# with LINE appended to FILE fails, saying WANT. Then it counts as a test.
refuses() { # CHECK FILE LINE WANT WHAT
    local copy out
    copy=$(mktemp -d)
    cp -r cmd pkg rootless storage docs "$copy/"
    echo "$3" >> "$copy/$2"
    if out=$("$1" "$copy") || [[ "$out" != *"$4"* ]]; then
        echo "not ok - $5: not refused ($out)"; echo f >> "$tally"
    else
        echo "ok - $5: refused"; echo p >> "$tally"
    fi
    rm -rf "$copy"
}

echo "== name prefixes (one module each)"
if tests/prefix_check.sh; then echo p >> "$tally"; else echo "not ok - name prefixes"; echo f >> "$tally"; fi
refuses tests/prefix_check.sh pkg/engine/run.h 'int rl_store_something(void);' \
    "prefix rl_store_ is declared by more than one module: pkg/engine (pkg/engine/run.h: rl_store_something), storage (" \
    "the prefix check, pkg/engine declaring rl_store_something"

echo "== docs/cli.md is the option tables' word"
if tests/cli_doc.sh build/rl | diff -u docs/cli.md - > build/cli-doc.diff; then
    echo "ok - docs/cli.md matches rl's --help"; echo p >> "$tally"
else
    head -20 build/cli-doc.diff; echo "not ok - docs/cli.md differs from rl's --help: run make cli-doc"; echo f >> "$tally"
fi

echo "== include order (docs/architecture.md)"
if tests/include_check.sh; then echo p >> "$tally"; else echo "not ok - include order"; echo f >> "$tally"; fi
refuses tests/include_check.sh pkg/util/fs.c '#include "pkg/engine/run.h"' \
    'pkg/util/fs.c: #include "pkg/engine/run.h": pkg/util may not include pkg/engine' \
    "the include check, pkg/util including pkg/engine"
refuses tests/include_check.sh pkg/engine/run.c '#include "storage/store_int.h"' \
    'pkg/engine/run.c: #include "storage/store_int.h": private to storage/' \
    "the include check, pkg/engine including storage's private header"

echo "== unit tests as $USER_NAME"
cp build/tests/test_* "$WORK/bin/"
for t in "$WORK"/bin/test_*; do
    (cd /tmp && runuser -u "$USER_NAME" -- env CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1) | count_tap "$tally"
done

echo "== system tests as $USER_NAME (rootless)"
filter=${RL_SYSTEM_FILTER:-}
files=$(ls "$WORK"/tests/system/[0-8]*.bats | grep -- "${filter}" )
# shellcheck disable=SC2086
runuser -u "$USER_NAME" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$(getent passwd "$USER_NAME" | cut -d: -f6)" \
    USER="$USER_NAME" LANG=C.UTF-8 RL_BIN="$RL_BIN" RL_WORK="$WORK" TERM=xterm RL_REG_BASE="$REG_BASE" \
    bats --tap $files 2>&1 | count_tap "$tally"

if [ -z "$filter" ]; then
    echo "== format (clang-format, as CI checks it)"
    if make -s format-check >build/format.log 2>&1; then
        echo "ok - clang-format clean"; echo p >> "$tally"
    else
        head -20 build/format.log; echo "not ok - clang-format: run make format"; echo f >> "$tally"
    fi
    echo "== system tests as root"
    RL_WORK="$WORK" RL_SRC="$TOP" bats --tap "$WORK"/tests/system/9*.bats 2>&1 | count_tap "$tally"
    echo "== fuzz (short runs; make fuzz for longer)"
    if make -s fuzz FUZZ_TIME="${RL_FUZZ_TIME:-10}" > build/fuzz.log 2>&1; then
        echo "ok - fuzz harnesses ran clean"; echo p >> "$tally"
    else
        cat build/fuzz.log; echo "not ok - fuzz"; echo f >> "$tally"
    fi
fi

passed=$(grep -c p "$tally"); failed=$(grep -c f "$tally"); skipped=$(grep -c s "$tally")
rm -f "$tally"
[ "$skipped" -gt 0 ] && echo "($skipped skipped, not counted as passed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
