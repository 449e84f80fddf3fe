# SPDX-License-Identifier: Apache-2.0
# Sourced by the structure checks: the module order of docs/architecture.md
# (its ```order block) in $order, and module_of PATH: the longest listed
# module PATH is in ("" when none).
order=$(awk '/^```order/ {on = 1; next} /^```/ {on = 0} on && NF {print $1}' docs/architecture.md)
[ -n "$order" ] || { echo "rl: no \`\`\`order block in docs/architecture.md" >&2; exit 1; }
module_of() {
    local p=$1 best="" m
    for m in $order; do
        case $p in "$m"/*) [ ${#m} -gt ${#best} ] && best=$m ;; esac
    done
    printf '%s' "$best"
}
