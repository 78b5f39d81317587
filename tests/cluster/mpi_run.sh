#!/bin/bash
# A dosesim run over MPI ranks (build with `make MPI=1` first): the ranks share
# the trial blocks, rank 0 adds up the integer tallies and writes the same CSVs
# a single process would have. Under SLURM: sbatch --ntasks=64 tests/cluster/mpi_run.sh
# Settings from the environment, defaults:
#   DOSESIM=bin/dosesim  RANKS=$SLURM_NTASKS or 2  SCENARIOS=scenarios/tifcemalimab.csv  TRIALS=1e9  SEED=2026  OUT=results/mpi
#SBATCH --job-name=dosesim-mpi
#SBATCH --time=01:00:00
set -euo pipefail
exec mpirun -np "${RANKS:-${SLURM_NTASKS:-2}}" "${DOSESIM:-bin/dosesim}" run "${SCENARIOS:-scenarios/tifcemalimab.csv}" \
    --trials "${TRIALS:-1e9}" --seed "${SEED:-2026}" --out "${OUT:-results/mpi}" --quiet
