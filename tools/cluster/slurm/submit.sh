#!/usr/bin/env bash
# Submits a sharded scan to Slurm: the job array of shards
# (mxscan-scan.sbatch), then the statistics (mxscan-stats.sbatch) as a job
# that starts only when every task of the array has succeeded.
#
#   SHARDS=8 MXSCAN=/path/mxscan tools/cluster/slurm/submit.sh INPUT RESULTS_DIR [scan flags...]
#
# INPUT, RESULTS_DIR, MXSCAN and this checkout must be at the same paths on
# every node (shared storage); relative paths are made absolute here.
# Environment:
#   SHARDS       the number of shards N (default 8): array tasks 0..N-1
#   MXSCAN       the mxscan binary (default: mxscan on the nodes' PATH)
#   STATS_FLAGS  more flags for `mxscan stats`, split at blanks (e.g.
#                "--psl-file /shared/public_suffix_list.dat")
#   SBATCH_PARTITION, SBATCH_ACCOUNT, ...: sbatch's own, for both jobs
# The jobs' logs go to RESULTS_DIR/logs/. A failed task cancels the
# statistics job (--kill-on-invalid-dep); submitting again continues the
# scan (--resume: finished shards end at once). Prints the two job ids,
# "ARRAY_JOB STATS_JOB", on stdout.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,19p' "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
input=$(realpath -ms -- "$1")
results=$(realpath -ms -- "$2")
shift 2
shards=${SHARDS:-8}
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "submit.sh: SHARDS=$shards is not a number of shards" >&2
  exit 2
fi
mxscan=${MXSCAN:-mxscan}
[[ $mxscan != */* ]] || mxscan=$(realpath -ms -- "$mxscan")
mkdir -p "$results/logs"

# The jobs find everything in their environment (--export=ALL): Slurm runs
# a copy of each batch script from its spool, away from this checkout.
export SHARDS=$shards MXSCAN=$mxscan MXSCAN_TOOLS="$here/.." \
  SCAN_INPUT=$input SCAN_RESULTS=$results STATS_FLAGS=${STATS_FLAGS:-}
array=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL \
  --output="$results/logs/mxscan-scan-%A-%a.log" \
  "$here/mxscan-scan.sbatch" "$@")
array=${array%%;*}  # "ID;CLUSTER" on a federation
stats=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --export=ALL --output="$results/logs/mxscan-stats-%j.log" \
  "$here/mxscan-stats.sbatch")
stats=${stats%%;*}
echo "submit.sh: shards as job array $array (tasks 0-$((shards - 1))), statistics" \
  "as job $stats after them; logs in $results/logs" >&2
echo "$array $stats"
