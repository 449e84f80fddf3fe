#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Starts the test registry (Debian's docker-registry) and its misbehaving
# fronts on loopback, and pushes the test images. Run as root by check.sh
# and bench.sh:  setup.sh WORKDIR BASEPORT   (prints the pids to kill)
set -eu
WORK=$1 BASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REG=127.0.0.1:$BASE
mkdir -p "$WORK/registry" "$WORK/images"
cat > "$WORK/registry/config.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
  delete:
    enabled: true
http:
  addr: $REG
CONF
docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry/log" 2>&1 &
pids=$!
for _ in $(seq 100); do curl -fs "http://$REG/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$REG/v2/" >/dev/null || { echo "registry did not start: $(cat "$WORK/registry/log")" >&2; exit 1; }
: > "$WORK/images/count.log"
chmod 666 "$WORK/images/count.log"
port=$BASE
for mode in token flaky corrupt slow count fake redirect lie; do
    port=$((port + 1))
    python3 "$HERE/regproxy.py" "$mode" "$port" "http://$REG" "$WORK/images/count.log" >/dev/null 2>&1 &
    pids="$pids $!"
done
python3 "$HERE/mkimage.py" "$REG" "$WORK/images" >&2
python3 "$HERE/hostile.py" "$WORK/images/hostile"
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
chmod -R a+rX "$WORK/images"
echo "$pids"
