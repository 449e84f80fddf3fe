#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Dependencies point one way: a module includes headers of its own and of
# the modules before it in docs/architecture.md's ```order block, never of
# one after it; a header named *_int.h is private to its module's directory.
# Prints each offending #include and exits 1.
#   include_check.sh [TREE]   (default: this checkout)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "${1:-$here/..}"
# shellcheck source=tests/modules.sh
. "$here/modules.sh"
declare -A rank
i=0
for m in $order; do rank[$m]=$i; i=$((i + 1)); done
bad=0
while IFS= read -r f; do
    from=$(module_of "$f")
    if [ -z "$from" ]; then
        echo "rl: include check: $f is in no module of docs/architecture.md"
        bad=1
        continue
    fi
    while IFS= read -r inc; do
        case $inc in */*) ;; *) continue ;; esac # same directory
        to=$(module_of "$inc")
        [ -n "$to" ] || continue # a system or library header
        if [[ $inc == *_int.h && $(dirname "$inc") != $(dirname "$f") ]]; then
            echo "$f: #include \"$inc\": private to $(dirname "$inc")/ (*_int.h)"
            bad=1
        fi
        if [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
            echo "$f: #include \"$inc\": $from may not include $to (docs/architecture.md)"
            bad=1
        fi
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(find cmd pkg rootless storage -name '*.[ch]' | sort)
[ "$bad" = 0 ] && echo "ok - includes follow docs/architecture.md's order ($i modules)"
exit "$bad"
