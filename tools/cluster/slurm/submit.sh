#!/usr/bin/env bash
# Submits a sharded scan to Slurm: the job array of shards, then the
# statistics as a job that starts only when every shard has succeeded.
#
#   SHARDS=8 MXSCAN=/path/mxscan tools/cluster/slurm/submit.sh INPUT RESULTS_DIR [scan flags...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
input=$1
results=$2
shift 2
shards=${SHARDS:-8}
mxscan=${MXSCAN:-mxscan}
export SHARDS=$shards MXSCAN=$mxscan MXSCAN_TOOLS="$here/.." SCAN_INPUT=$input SCAN_RESULTS=$results
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL \
  "$here/mxscan-scan.sbatch" "$@")
sbatch --parsable --dependency="afterok:$array" --job-name=mxscan-stats \
  --output="mxscan-stats-%j.log" --wrap \
  "$mxscan stats $results/shard-*-of-$shards --format html --output $results/report.html && \
   $mxscan stats $results/shard-*-of-$shards --format json --output $results/stats.json"
echo "submitted shards as job $array; statistics after it"
