#!/bin/sh
# make bench: dosesim's engine and the yardstick (limit.c), one process run
# each, on the same scenario (p = 0.10, 0.25; 3+3 with de-escalation and an
# expanded top dose) and the same trial count; prints both rates and the ratio.
# usage: tests/bench/bench.sh BENCH_BUILD_DIR [TRIALS]
set -eu
dir=$1
trials=${2:-25000000}
echo "bench: $trials trials, one thread, p = (0.10, 0.25), 3+3 (de-escalation yes, top dose expand)"
limit_out=$("$dir/limit" $((trials * 4))) # limit.c runs (draws / 4) trials
engine_out=$("$dir/bench_engine" "$trials")
echo "$limit_out" | sed 's/^/yardstick: /'
echo "$engine_out"
limit_rate=$(echo "$limit_out" | sed -n 's/^trials\/s: \([^ ]*\).*/\1/p')
engine_rate=$(echo "$engine_out" | sed -n 's/^engine trials\/s: \([^ ]*\).*/\1/p')
awk -v e="$engine_rate" -v l="$limit_rate" 'BEGIN {
    printf "engine / yardstick: %.3g / %.3g trials per second = %.2f (target >= 0.40)\n", e, l, e / l
}'
