#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The end of make bench, sourced by bench.sh (for BENCH_DIR): this run's ratio rows ($RATIOS:
# rl's cost over its anchor's, lower is better) against the committed
# baseline (tests/bench/baseline), printing each row more than 15% worse
# with both figures. Never fails: benchmarks are not tests. The ratios go
# to RL_BENCH_OUT for RL_BENCH_SAVE=1 (bench.sh's root part).

BASELINE=$BENCH_DIR/baseline
[ -n "${RL_BENCH_OUT:-}" ] && cp "$RATIOS" "$RL_BENCH_OUT"
if [ ! -s "$BASELINE" ]; then
    echo; echo "(no baseline to compare with: RL_BENCH_SAVE=1 make bench writes one)"
else
    printf '\n%-30s %10s %10s %8s\n' "against the baseline" "baseline" "this run" "change"
    awk 'NR == FNR { if ($1 !~ /^#/) base[$1] = $2; next }
         { seen++ }
         !($1 in base) { printf "%-30s %10s %10.3f %8s\n", $1, "-", $2, "new"; next }
         $2 > base[$1] * 1.15 { worse++; printf "%-30s %10.3f %10.3f %+7.0f%%  WORSE\n", $1, base[$1], $2, 100 * ($2 / base[$1] - 1) }
         END { printf "(%d ratio rows, %d more than 15%% worse than the baseline)\n", seen, worse }' "$BASELINE" "$RATIOS"
fi
