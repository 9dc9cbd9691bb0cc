#!/usr/bin/env bash
# The RLEV experiment grid on a SLURM cluster: one job builds the warm-ups, a job array runs the
# (cell, seed) runs in SHARDS shards, one job merges the shard results and builds the report.
#
#   bash examples/cluster/slurm.sh            # from the repository root, on a login node
#
# Needs: this checkout (after `npm ci`, which builds dist/) on storage every node sees, Node 20 on
# the nodes. Each stage starts only when the previous one succeeded (--dependency=afterok); a
# failed shard leaves the merge pending: rerun that array task and the merge proceeds. Every
# shard, the prepare and the merge must see the same CONFIG and SET.
set -euo pipefail
SHARDS=${SHARDS:-8}                         # array tasks; each takes about 1/SHARDS of the runs
CPUS=${CPUS:-2}                             # cores per task = runs in parallel within a shard
CONFIG=${CONFIG:-configs/experiment.json}
RESULTS=${RESULTS:-results/experiment}      # the config's results folder (shared storage)
RLEV=${RLEV:-node bin/rlev.js}
PARTITION=${PARTITION:+--partition=$PARTITION}

prepare=$(sbatch --parsable $PARTITION --job-name=rlev-prepare --cpus-per-task="$CPUS" \
  --time=04:00:00 --output=slurm-rlev-prepare-%j.out \
  --wrap "$RLEV experiment --config $CONFIG --prepare --jobs $CPUS")

# SLURM sets SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT in each task; --shard slurm reads them.
grid=$(sbatch --parsable $PARTITION --job-name=rlev-grid --dependency=afterok:"$prepare" \
  --array=0-$((SHARDS - 1)) --cpus-per-task="$CPUS" --time=24:00:00 \
  --output=slurm-rlev-grid-%A_%a.out \
  --wrap "$RLEV experiment --config $CONFIG --shard slurm --jobs $CPUS")

merge=$(sbatch --parsable $PARTITION --job-name=rlev-merge --dependency=afterok:"$grid" \
  --cpus-per-task=1 --time=01:00:00 --output=slurm-rlev-merge-%j.out \
  --wrap "$RLEV experiment --config $CONFIG --merge $RESULTS && $RLEV experiment --config $CONFIG --report --no-png")

echo "submitted: prepare $prepare, grid $grid (array 0-$((SHARDS - 1))), merge $merge"
