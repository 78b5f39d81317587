#!/bin/bash
# Submit a dosesim run as a SLURM job array of N shards, and its merge to run
# once every shard has finished. From the dosesim folder:
#
#   tests/cluster/submit.sh 100      # 100 shards; settings as in slurm_array.sh
set -euo pipefail
n=${1:?usage: tests/cluster/submit.sh NUMBER_OF_SHARDS}
array=$(sbatch --parsable --array="1-$n" tests/cluster/slurm_array.sh)
sbatch --dependency="afterok:${array%%;*}" tests/cluster/slurm_merge.sh
