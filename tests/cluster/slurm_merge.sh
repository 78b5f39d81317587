#!/bin/bash
# The merge after a SLURM job array of dosesim shards (see slurm_array.sh):
# checks that every shard is there and from the same run, and writes the same
# CSVs a single run would have. Settings from the environment, defaults:
#   DOSESIM=bin/dosesim  SHARDS=results/shards  OUT=results/merged
#SBATCH --job-name=dosesim-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:10:00
#SBATCH --output=dosesim-merge.log
set -euo pipefail
exec "${DOSESIM:-bin/dosesim}" merge "${SHARDS:-results/shards}" --out "${OUT:-results/merged}"
