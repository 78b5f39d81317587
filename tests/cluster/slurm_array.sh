#!/bin/bash
# One task of a SLURM job array: shard I of N of a dosesim run, where the
# array's tasks are numbered MIN..MAX (I = task id - MIN + 1, N = MAX - MIN + 1).
# Submit from the dosesim folder (submit.sh does it, with the merge after):
#
#   sbatch --array=1-100 tests/cluster/slurm_array.sh
#
# Settings come from the environment, with these defaults:
#   DOSESIM=bin/dosesim
#   SCENARIOS=scenarios/tifcemalimab.csv  TRIALS=1e9  SEED=2026  SHARDS=results/shards
#SBATCH --job-name=dosesim-shard
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=dosesim-shard-%a.log
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?run this as a SLURM array task (sbatch --array=...)}"
min=${SLURM_ARRAY_TASK_MIN:-1}
max=${SLURM_ARRAY_TASK_MAX:?}
shard="$((SLURM_ARRAY_TASK_ID - min + 1))/$((max - min + 1))"
exec "${DOSESIM:-bin/dosesim}" run "${SCENARIOS:-scenarios/tifcemalimab.csv}" \
    --trials "${TRIALS:-1e9}" --seed "${SEED:-2026}" \
    --shard "$shard" --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --out "${SHARDS:-results/shards}" --quiet
