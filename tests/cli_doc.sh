#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/cli.md: every verb's --help, as rl prints it from its option tables
# (cmd/rl/opts.c), so that the documentation is the parser's own word.
#   tests/cli_doc.sh [RL] > docs/cli.md     (make check fails when it differs)
set -eu
RL=${1:-build/rl}
verbs=$("$RL" --help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
subs="image inspect
image prune
container inspect
container prune
system df
system prune
system reset"
oci=$("$RL" oci --help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
cat <<'HEAD'
# rl's command line

Made by `tests/cli_doc.sh` from rl's option tables (`cmd/rl/opts.c`): each
verb's `--help`, which is also what its parser takes. `make check` fails
when this file and the tables disagree.

HEAD
section() {
    printf '## rl %s\n\n```\n' "$*"
    "$RL" "$@" --help
    printf '```\n\n'
}
printf '## rl\n\n```\n'
"$RL" --help
printf '```\n\n'
for v in $verbs; do
    case $v in container | image | system | oci) continue ;; esac
    section "$v"
done
while read -r verb sub; do section "$verb" "$sub"; done <<<"$subs"
printf '## rl oci\n\n```\n'
"$RL" oci --help
printf '```\n\n'
for v in $oci; do section oci "$v"; done
