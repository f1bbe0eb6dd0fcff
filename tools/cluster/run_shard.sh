#!/usr/bin/env bash
# Runs one shard of an mxscan scan on a cluster node: the shard index comes
# from the scheduler, the results go to shared storage.
#
#   run_shard.sh INPUT RESULTS_DIR [mxscan scan flags...]
#
# Environment:
#   SHARDS                  the number of shards N (required)
#   JOB_COMPLETION_INDEX    the shard index on Kubernetes (Indexed Job), or
#   SLURM_ARRAY_TASK_ID     the shard index on Slurm (job array)
#   MXSCAN                  the mxscan binary (default: mxscan on PATH)
#
# The shard writes RESULTS_DIR/shard-I-of-N/ and always passes --resume, so
# a retried pod or requeued task continues where the last attempt stopped
# (every domain of the shard ends with exactly one record). When all N
# have finished, `mxscan stats RESULTS_DIR/shard-*-of-N` gives the figures
# of the whole scan.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,19p' "$0" >&2
  exit 2
fi
input=$1
results=$2
shift 2
shards=${SHARDS:?SHARDS (the number of shards) is not set}
index=${JOB_COMPLETION_INDEX:-${SLURM_ARRAY_TASK_ID:-}}
if [[ -z $index ]]; then
  echo "run_shard.sh: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set" >&2
  exit 2
fi
if ! [[ $index =~ ^[0-9]+$ && $shards =~ ^[0-9]+$ ]] || ((index >= shards)); then
  echo "run_shard.sh: shard $index of $shards is not valid" >&2
  exit 2
fi
mxscan=${MXSCAN:-mxscan}
out="$results/shard-$index-of-$shards"
mkdir -p "$out"
echo "run_shard.sh: shard $index/$shards of $input -> $out" >&2
exec "$mxscan" scan --input "$input" --output "$out" --shard "$index/$shards" \
  --resume --no-progress "$@"
