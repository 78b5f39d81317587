#!/bin/sh
# make bench: dosesim's engine and the yardstick (limit.c), one process run
# each, on the same scenario (p = 0.10, 0.25; 3+3 with de-escalation and an
# expanded top dose) and the same trial count; prints both rates and the ratio;
# then the speed-up of the whole program on 2 threads and on 2 MPI ranks;
# sweeps' exact points per second; and a file of 10^6 scenarios end to end.
# usage: [DOSESIM=bin/dosesim] [DOSESIM_MPI=build/mpi/bin/dosesim] \
#        tests/bench/bench.sh BENCH_BUILD_DIR [TRIALS]
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

# Scaling: the same run on 1 and 2 threads, and on 1 and 2 MPI ranks (if an
# MPI build is given), timed by the program itself (simulation only, not start-up).
program=${DOSESIM:-bin/dosesim}
mpi_program=${DOSESIM_MPI:-}
scale_trials=${SCALE_TRIALS:-100000000}
seconds() { sed -n 's/.* trials in \([0-9.]*\) s .*/\1/p'; }
timed() { "$@" 2>&1 >/dev/null | seconds; }
same_run="run tests/bench/bench.csv --trials $scale_trials --quiet"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
t1=$(timed "$program" $same_run --out "$scratch" --threads 1)
t2=$(timed "$program" $same_run --out "$scratch" --threads 2)
awk -v a="$t1" -v b="$t2" -v n="$scale_trials" 'BEGIN {
    printf "threads: %d trials, 1 thread %.2f s, 2 threads %.2f s: speed-up %.2f (target >= 1.8)\n", n, a, b, a / b }'
if [ -n "$mpi_program" ] && command -v mpirun >/dev/null 2>&1; then
    r1=$(timed mpirun -np 1 "$mpi_program" $same_run --out "$scratch" --threads 1)
    r2=$(timed mpirun -np 2 "$mpi_program" $same_run --out "$scratch" --threads 1)
    awk -v a="$r1" -v b="$r2" -v n="$scale_trials" 'BEGIN {
        printf "MPI: %d trials, 1 rank %.2f s, 2 ranks %.2f s: speed-up %.2f (target >= 1.8)\n", n, a, b, a / b }'
else
    echo "MPI: no MPI build (make bench builds one when OpenMPI is installed)"
fi

# Sweeps: 10,001 exact points of one p_dlt, at 2, 6 and 12 levels: points per
# second at the margin, (10,001 - 2) points over the time a sweep of 10,001
# takes beyond one of 2 (the program's start and reading apart; every row
# written and synced counted), target >= 1e5 at 2 levels; and the whole
# command's time.
now() { date +%s.%N; }
sweep_seconds() { # levels step
    start=$(now)
    "$program" sweep "$scratch/levels$1.csv" --scenario s --vary 2 --from 0 --to 1 --step "$2" \
        --out "$scratch/sweep$1.csv" --quiet
    end=$(now)
    rm -f "$scratch/sweep$1.csv"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }'
}
for levels in 2 6 12; do
    awk -v k="$levels" 'BEGIN { print "scenario,dose_level,dose_label,p_dlt";
        for (d = 1; d <= k; d++) printf "s,%d,d%d,%.3f\n", d, d, 0.05 + 0.4 * (d - 1) / (k > 1 ? k - 1 : 1) }' \
        >"$scratch/levels$levels.csv"
    small=$(sweep_seconds "$levels" 1)
    big=$(sweep_seconds "$levels" 0.0001)
    awk -v s="$small" -v b="$big" -v k="$levels" 'BEGIN {
        printf "sweep: 10001 exact points, %d levels, %.3f s in all (2 points: %.3f s): %.3g points/s%s\n", k, b, s,
            9999 / (b - s), k == 2 ? " (target >= 1e5)" : "" }'
done

# A file of 10^6 scenarios of two doses, exact, end to end (read, calculate,
# write the four files, publish): seconds and peak memory (targets < 30 s, < 1 GB).
awk 'BEGIN { srand(1); print "scenario,dose_level,dose_label,p_dlt";
    for (i = 0; i < 1000000; i++) { a = 0.01 + 0.39 * rand(); b = a + 0.4 * rand();
        printf "s%d,1,100 mg,%.3f\ns%d,2,200 mg,%.3f\n", i, a, i, (b > 0.95 ? 0.95 : b) } }' \
    >"$scratch/million.csv"
start=$(now)
if [ -x /usr/bin/time ]; then
    peak=$(/usr/bin/time -f "%M" "$program" exact "$scratch/million.csv" --out "$scratch/million" \
        --quiet 2>&1 >/dev/null | tail -n 1)
else
    "$program" exact "$scratch/million.csv" --out "$scratch/million" --quiet 2>/dev/null
    peak=""
fi
end=$(now)
rows=$(wc -l <"$scratch/million/summary.csv" 2>/dev/null || echo 0)
if [ "$rows" -ne 1000001 ]; then
    echo "10^6 scenarios, exact: failed (summary.csv has $rows lines, not 1000001)"
    exit 1
fi
awk -v a="$start" -v b="$end" -v m="$peak" 'BEGIN {
    printf "10^6 scenarios, exact: %.1f s (target < 30 s), %s\n", b - a,
        m != "" ? sprintf("peak memory %.0f MB (target < 1000 MB)", m / 1024) : "peak memory not measured (no /usr/bin/time)" }'
rm -rf "$scratch/million" "$scratch/million.csv"
