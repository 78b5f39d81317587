#!/bin/sh
# make bench-peers: dosesim beside R's packages on the same scenarios, in one
# run (tests/bench/peers.R), as multiples of each; skipped with a message where
# R or a package is absent (R_LIBS may point to where they are installed).
# Never part of make check. usage: [DOSESIM=bin/dosesim] tests/bench/peers.sh [TRIALS]
set -eu
program=${DOSESIM:-bin/dosesim}
trials=${1:-2000}
if ! command -v Rscript >/dev/null 2>&1; then
    echo "bench-peers: no Rscript (Debian's r-base-core): skipped"
    exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
peers=$(Rscript tests/bench/peers.R "$trials" 2>&1) || { echo "bench-peers: R failed: $peers"; exit 0; }
echo "$peers"
rate() { sed -n 's/.* (\([0-9.e+]*\) trials\/s;.*/\1/p'; }
ms() { sed -n 's/.* in \([0-9.]*\) ms$/\1/p'; }
printf 'scenario,dose_level,dose_label,p_dlt\n' >"$scratch/boin.csv"
i=0
for p in 0.10 0.25 0.40 0.55 0.70; do
    i=$((i + 1))
    printf 'get_oc,%d,d%d,%s\n' "$i" "$i" "$p" >>"$scratch/boin.csv"
done
printf 'scenario,dose_level,dose_label,p_dlt\nbench,1,d1,0.10\nbench,2,d2,0.25\n' >"$scratch/two.csv"
printf 'scenario,dose_level,dose_label,p_dlt\n' >"$scratch/six.csv"
i=0
for p in 0.05 0.10 0.15 0.25 0.35 0.50; do
    i=$((i + 1))
    printf 'six,%d,d%d,%s\n' "$i" "$i" "$p" >>"$scratch/six.csv"
done
boin_mc=$("$program" run "$scratch/boin.csv" --design boin --target 0.3 --max-n 30 --trials 2000000 \
    --threads 1 --out "$scratch/b" --quiet 2>&1 | rate)
boin_exact=$("$program" exact "$scratch/boin.csv" --design boin --target 0.3 --max-n 30 \
    --out "$scratch/be" --quiet 2>&1 | ms)
t33_mc=$("$program" run "$scratch/two.csv" --trials 20000000 --threads 1 --out "$scratch/t" --quiet 2>&1 | rate)
two_exact=$("$program" exact "$scratch/two.csv" --out "$scratch/te" --quiet 2>&1 | ms)
six_exact=$("$program" exact "$scratch/six.csv" --out "$scratch/se" --quiet 2>&1 | ms)
echo "dosesim (one thread): BOIN example $boin_mc trials/s, exact in $boin_exact ms; 3+3 on two doses $t33_mc trials/s; exact 3+3 in $two_exact ms (2 levels), $six_exact ms (6 levels)"
echo "$peers" | awk -v n="$trials" -v bm="$boin_mc" -v be="$boin_exact" -v tm="$t33_mc" -v t2="$two_exact" -v t6="$six_exact" '
/^BOIN .* trials\/s/ { r = $(NF - 1); printf "dosesim / BOIN get.oc: %.3g times the trials per second (one thread); its exact answer in %s ms, %.3g times faster than get.oc'"'"'s %d trials\n", bm / r, be, n / r / (be / 1000), n }
/^bcrm .*exact, 2 levels/ { r = $(NF - 2); printf "dosesim / bcrm threep3, 2 levels: %.3g times faster (exact both)\n", r > 0 ? (1 / r) / (t2 / 1000) : 0 }
/^bcrm .*exact, 6 levels/ { r = $(NF - 2); printf "dosesim / bcrm threep3, 6 levels: %.3g times faster (exact both)\n", r > 0 ? (1 / r) / (t6 / 1000) : 0 }
/^escalation .* trials\/s/ { r = $(NF - 1); printf "dosesim / escalation 3+3: %.3g times the trials per second\n", tm / r }'
