#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The phase breakdown of `rl run --rm --network none IMAGE true`, sourced by
# bench.sh as the test user: RL_PHASES makes rl stamp each phase (pid,
# phase, ms since main; pkg/util/phase.c), averaged here over a number of
# runs: when each phase ends, and what it took.

PHASE_RUNS=${RL_BENCH_PHASE_RUNS:-20}
rm -f "$W/phases"
for _ in $(seq "$PHASE_RUNS"); do
    RL_PHASES=$W/phases "$RL" --root "$S" run --rm --network none rl-bench true
done
printf '\n%-50s %9s %9s\n' "phases of rl run --rm (mean of $PHASE_RUNS)" "ends ms" "takes ms"
awk '{
    pid = $1; ms = $NF; $1 = ""; $NF = ""; name = substr($0, 2, length($0) - 2)
    if (!(name in at)) order[++n] = name
    at[name] += ms; took[name] += ms - (pid in last ? last[pid] : 0); cnt[name]++; last[pid] = ms
} END {
    for (i = 1; i <= n; i++) { k = order[i]; printf "%-50s %9.2f %9.2f\n", k, at[k] / cnt[k], took[k] / cnt[k] }
}' "$W/phases"
