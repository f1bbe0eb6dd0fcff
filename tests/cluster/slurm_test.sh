#!/usr/bin/env bash
# The shipped Slurm job array on a real Slurm: this script starts its own
# single-node cluster on loopback (Debian's munged, slurmctld and slurmd,
# their key, configuration, state and logs in a temporary directory, ports
# of their own), the simulated sector's servers (tests/sim's
# sector_test_lib.sh), and submits the scan with
# tools/cluster/slurm/submit.sh in SLURM_SHARDS (3) shards. The array's
# tasks scan their shards, the dependent statistics job merges them; every
# shard's results and the statistics must exist, the union of the shards
# must hold every domain once and match the sector's truth, and the
# statistics must equal those of one whole scan of the same input. Needs
# root (slurmd runs the jobs as their user; SlurmUser=root).
set -euo pipefail

# shellcheck source=../sim/sector_test_lib.sh
source "$(dirname "$0")/../sim/sector_test_lib.sh"
export PATH=$PATH:/usr/sbin:/sbin
N=${SLURM_DOMAINS:-300}
SHARDS=${SLURM_SHARDS:-3}
WAIT_SECONDS=${SLURM_WAIT_SECONDS:-180}
NODE=mxscan-node

if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: slurm_test needs root (slurmd runs the jobs as their user)"; exit 1
fi
for tool in munged mungekey slurmctld slurmd sbatch sinfo scontrol scancel; do
  command -v "$tool" >/dev/null ||
    { echo "FAIL: $tool is missing (tools/install_deps.sh installs slurm-wlm and munge)"; exit 1; }
done

start_sector slurm_test "$N" 17

# The cluster's files: under /tmp, not $TMP, since munged's and slurmd's
# Unix socket paths must stay short (sun_path).
CLUSTER=$(mktemp -d /tmp/mxscan-slurm.XXXXXX)
chmod 755 "$CLUSTER"
MUNGED_PID="" SLURMCTLD_PID="" SLURMD_PID="" JOBS=()
cleanup() {
  local status=$? pid
  if ((${#JOBS[@]})) && [[ -n $SLURMCTLD_PID ]]; then
    scancel "${JOBS[@]}" 2>/dev/null || true
    for _ in $(seq 20); do
      [[ -z $(squeue -h 2>/dev/null) ]] && break
      sleep 0.5
    done
  fi
  for pid in $SLURMD_PID $SLURMCTLD_PID $MUNGED_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $SLURMD_PID $SLURMCTLD_PID $MUNGED_PID; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  "$SIM/sector_servers.sh" stop "$TMP" >/dev/null 2>&1 || true
  rm -rf "$CLUSTER"
  # Outside Bazel (which cleans TEST_TMPDIR), the sector's files stay only
  # after a failure.
  if [[ -z ${TEST_TMPDIR:-} ]]; then
    if ((status == 0)); then rm -rf "$TMP"; else echo "kept $TMP"; fi
  fi
}
trap cleanup EXIT

# fail MESSAGE: prints it with the jobs' states and the cluster's logs.
fail() {
  echo "FAIL: $1"
  local job f
  for job in ${JOBS[@]+"${JOBS[@]}"}; do
    scontrol -o show job "$job" 2>&1 | awk '{ line = " "; for (i = 1; i <= NF; i++)
      if ($i ~ /^(JobId|ArrayTaskId|JobName|JobState|Reason|ExitCode|Dependency)=/) line = line " " $i
      print line }' || true
  done
  for f in "$TMP"/slurm-results/logs/*.log "$CLUSTER"/log/*; do
    [[ -s $f ]] || continue
    echo "== $f"
    tail -n 30 "$f"
  done
  exit 1
}

# MUNGE: a key of this test's own and a daemon on its own socket.
mkdir -m 755 "$CLUSTER/munge" "$CLUSTER/log"  # munged: a socket all can reach
mungekey --create --keyfile "$CLUSTER/munge/munge.key"
munged --foreground --socket "$CLUSTER/munge/socket" \
  --key-file "$CLUSTER/munge/munge.key" \
  --pid-file "$CLUSTER/munge/munged.pid" --seed-file "$CLUSTER/munge/seed" \
  >"$CLUSTER/log/munged.log" 2>&1 &
MUNGED_PID=$!
for _ in $(seq 50); do [[ -S $CLUSTER/munge/socket ]] && break; sleep 0.1; done
[[ -S $CLUSTER/munge/socket ]] || fail "munged did not start"

# Slurm: one node, this host on 127.0.0.1, no accounting. The node claims 2
# CPUs per shard and the memory the batch scripts ask for
# (config_overrides), so that the whole array runs at once as on a cluster.
CTLD_PORT=$(python3 "$SIM/free_port.py")
SLURMD_PORT=$(python3 "$SIM/free_port.py")
[[ $CTLD_PORT != "$SLURMD_PORT" ]] || SLURMD_PORT=$(python3 "$SIM/free_port.py")
mkdir -p "$CLUSTER/state" "$CLUSTER/spool"
host=$(hostname -s)
cat >"$CLUSTER/slurm.conf" <<EOF
ClusterName=mxscan-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$CLUSTER/munge/socket
StateSaveLocation=$CLUSTER/state
SlurmdSpoolDir=$CLUSTER/spool
SlurmctldPidFile=$CLUSTER/slurmctld.pid
SlurmdPidFile=$CLUSTER/slurmd.pid
SlurmctldLogFile=$CLUSTER/log/slurmctld.log
SlurmdLogFile=$CLUSTER/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$((2 * SHARDS)) RealMemory=$((2048 * SHARDS + 4096)) State=UNKNOWN
PartitionName=mxscan Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$CLUSTER/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$CLUSTER/log/slurmctld.out" 2>&1 &
SLURMCTLD_PID=$!
slurmd -D -N "$NODE" -f "$SLURM_CONF" >"$CLUSTER/log/slurmd.out" 2>&1 &
SLURMD_PID=$!
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
  [[ $state == idle ]] && break
  kill -0 "$SLURMCTLD_PID" 2>/dev/null || fail "slurmctld exited"
  kill -0 "$SLURMD_PID" 2>/dev/null || fail "slurmd exited"
  sleep 0.5
done
[[ $state == idle ]] || fail "the node is not idle after 30 s (state '$state')"
echo "slurm: node $NODE idle (slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT)"

# One whole scan of the input, for the comparison.
"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/whole" \
  "${SCAN_FLAGS[@]}" --no-progress 2>"$TMP/whole.log" ||
  { tail -n 20 "$TMP/whole.log"; fail "the whole scan failed"; }

# The sharded scan, through the shipped submission script.
start=$SECONDS
read -r ARRAY_JOB STATS_JOB < <(cd "$TMP" && SHARDS=$SHARDS MXSCAN=$MXSCAN \
  STATS_FLAGS="--psl-file $PSL_FILE" "$ROOT/tools/cluster/slurm/submit.sh" \
  sim/domains.csv slurm-results "${SCAN_FLAGS[@]}")
[[ -n ${STATS_JOB:-} ]] || fail "submit.sh printed no job ids"
JOBS=("$ARRAY_JOB" "$STATS_JOB")
job_state() {  # JOB: its state, or the states of an array's tasks
  scontrol -o show job "$1" 2>/dev/null | sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p'
}
while :; do
  state=$(job_state "$STATS_JOB")
  case $state in
    COMPLETED) break ;;
    PENDING | CONFIGURING | RUNNING | COMPLETING | "") ;;
    *) fail "the statistics job ended $state" ;;
  esac
  ((SECONDS - start < WAIT_SECONDS)) || fail "the jobs did not finish in $WAIT_SECONDS s"
  sleep 1
done
tasks=$(job_state "$ARRAY_JOB" | sort | uniq -c | xargs)
[[ $tasks == "$SHARDS COMPLETED" ]] || fail "the array's tasks: $tasks"
echo "slurm: array $ARRAY_JOB ($tasks) and statistics job $STATS_JOB in $((SECONDS - start)) s"

results=$TMP/slurm-results
for ((i = 0; i < SHARDS; i++)); do
  [[ -s $results/shard-$i-of-$SHARDS/manifest-shard-$i-of-$SHARDS.json ]] ||
    fail "shard $i has no results"
  [[ -s $results/logs/mxscan-scan-$ARRAY_JOB-$i.log ]] || fail "shard $i has no log"
done
[[ -s $results/report.html && -s $results/stats.json ]] ||
  fail "the statistics job wrote no report.html or stats.json"

# Every domain once across the shards, the same as the whole scan's, and
# the truth.
"$MXSCAN" dump "$TMP/whole" --format jsonl >"$TMP/whole.jsonl"
for ((i = 0; i < SHARDS; i++)); do
  "$MXSCAN" dump "$results/shard-$i-of-$SHARDS" --format jsonl
done >"$TMP/union.jsonl"
python3 - "$TMP/whole.jsonl" "$TMP/union.jsonl" <<'PY' || fail "the shards' domains differ from the whole scan's"
import collections, json, sys
whole, union = ([json.loads(l)["domain"] for l in open(p)] for p in sys.argv[1:])
twice = [d for d, n in collections.Counter(union).items() if n > 1]
assert not twice, ("domains in two shards", twice[:5])
assert sorted(union) == sorted(whole), sorted(set(union) ^ set(whole))[:5]
print(f"{len(whole)} domains, each in exactly one shard")
PY
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
  --results "$TMP/union.jsonl" --smtp yes >"$TMP/check.out" ||
  { head -n 30 "$TMP/check.out"; fail "the shards differ from the truth"; }
head -n 1 "$TMP/check.out"

# The merged statistics equal the whole scan's but for the provenance (one
# run against one per shard).
"$MXSCAN" stats "$TMP/whole" --psl-file "$PSL_FILE" --format json >"$TMP/whole.json"
python3 - "$TMP/whole.json" "$results/stats.json" "$SHARDS" <<'PY' || fail "the statistics job's figures differ from the whole scan's"
import json, sys
whole, merged = (json.load(open(p)) for p in sys.argv[1:3])
runs = len(merged.pop("provenance"))
whole.pop("provenance")
assert runs == int(sys.argv[3]), f"{runs} runs in the provenance"
if whole != merged:
    for key in sorted(set(whole) | set(merged)):
        if whole.get(key) != merged.get(key):
            print(f"{key}: whole {json.dumps(whole.get(key))[:300]}")
            print(f"{key}: shards {json.dumps(merged.get(key))[:300]}")
    sys.exit(1)
print(f"stats.json of the statistics job = stats of the whole scan ({runs} runs)")
PY
echo "PASS"
