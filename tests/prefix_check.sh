#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Names say where they live: the prefix of every function and type a header
# declares (rl_PREFIX_...) belongs to one module of docs/architecture.md's
# order. Prints each prefix that two modules use and exits 1.
#   prefix_check.sh [TREE]   (default: this checkout)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "${1:-$here/..}"
# shellcheck source=tests/modules.sh
. "$here/modules.sh"
declare -A mods # prefix -> "module (header: name)" for each module declaring it, ";"-separated
while IFS= read -r h; do
    mod=$(module_of "$h")
    # declared at the top level: a prototype's name, or a typedef's
    while IFS= read -r name; do
        p=${name#rl_}
        p=rl_${p%%_*}_
        case ";${mods[$p]:-}" in *";$mod ("*) ;; *) mods[$p]+="$mod ($h: $name);" ;; esac
    done < <(sed -n -e 's/^[a-z][^(;=]*[ *]\(rl_[a-z0-9]*_[a-z0-9_]*\)(.*/\1/p' \
                    -e 's/^} \(rl_[a-z0-9]*_[a-z0-9_]*_t\);.*/\1/p' \
                    -e 's/^typedef .*[ *]\(rl_[a-z0-9]*_[a-z0-9_]*_t\);.*/\1/p' "$h")
done < <(find cmd pkg rootless storage -name '*.h' | sort)
bad=0
for p in "${!mods[@]}"; do
    v=${mods[$p]%;}
    [[ $v == *";"* ]] || continue
    echo "prefix $p is declared by more than one module: ${v//;/, }"
    bad=1
done
[ "$bad" = 0 ] && echo "ok - each name prefix belongs to one module (${#mods[@]} prefixes)"
exit "$bad"
