#!/bin/sh
# make bench: dosesim's engine and the yardstick (limit.c), one process run
# each, on the same scenario (p = 0.10, 0.25; 3+3 with de-escalation and an
# expanded top dose) and the same trial count; prints both rates and the ratio;
# then the speed-up of the whole program on 2 threads and on 2 MPI ranks.
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
