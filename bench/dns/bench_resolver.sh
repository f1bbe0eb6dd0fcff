#!/usr/bin/env bash
# How many questions per second one Unbound thread of the scan's resolver
# (tools/resolver, the scanning configuration) answers, against a simulated
# zone served by a local NSD (loopback only, bounded):
#
#   cold: NAMES A lookups of distinct names (each one forwarded to NSD),
#   warm: the same names again (answered from Unbound's cache),
#   direct: the same names straight to NSD (the baseline, same run);
#
# each through `mxscan dns` with CONCURRENCY in flight. Reports lookups/s,
# Unbound's CPU per lookup (from /proc), mxscan's CPU per lookup, the
# machine's load, and checks every answer against the truth.
#
#   bench/dns/bench_resolver.sh [NAMES] [CONCURRENCY] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
NAMES=${1:-100000}
CONCURRENCY=${2:-1000}
THREADS=${3:-1}

tools/install_deps.sh
bazel build -c opt //scanner:mxscan 2>&1 | tail -n 1
MXSCAN=$(bazel info -c opt bazel-bin 2>/dev/null)/scanner/mxscan

WORK=$(mktemp -d /tmp/mxscan-bench-resolver.XXXXXX)
cleanup() {
  tools/resolver/resolver.sh stop "$WORK/unbound" >/dev/null 2>&1 || true
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 tools/sim/gen_dns_zone.py --names "$NAMES" --seed 5 --out "$WORK" >/dev/null
mkdir -p "$WORK/nsd"
NSD_PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=60 tools/sim/nsd_server.sh start "$WORK/nsd" "$NSD_PORT" sim.test "$WORK/sim.test.zone"
PORT=$(python3 tools/sim/free_port.py)
FORWARD="127.0.0.1@$NSD_PORT" TRUST_ANCHOR=none RESOLVER_THREADS=$THREADS \
  tools/resolver/resolver.sh start "$WORK/unbound" "$PORT"
UNBOUND_PID=$(cat "$WORK/unbound/unbound.pid")

# CPU seconds (user+sys) of a process so far.
cpu_of() { awk '{print ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }

run() {  # LABEL PORT
  local label=$1 port=$2 before after
  before=$(cpu_of "$UNBOUND_PID")
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$MXSCAN" dns --type A \
    --resolver "127.0.0.1:$port" --concurrency "$CONCURRENCY" --no-progress \
    --timeout-ms 5000 --input "$WORK/names-A.txt" --output "$WORK/out.jsonl" 2>"$WORK/log"
  after=$(cpu_of "$UNBOUND_PID")
  python3 tools/sim/check_dns_results.py --truth "$WORK/truth-A.jsonl" \
    --results "$WORK/out.jsonl" >"$WORK/check" || { head -n 5 "$WORK/check"; exit 1; }
  read -r wall user sys <"$WORK/time"
  python3 - "$label" "$NAMES" "$wall" "$user" "$sys" "$before" "$after" "$(head -n 1 "$WORK/check")" <<'PY'
import sys
label, n, wall, user, sys_, before, after, check = sys.argv[1:]
n = int(n); wall = float(wall)
unbound = (float(after) - float(before)) / n * 1e6
print(f"{label:7s} {n / wall:10.0f} lookups/s  mxscan {(float(user) + float(sys_)) / n * 1e6:6.2f} us CPU/lookup"
      f"  unbound {unbound:6.2f} us CPU/lookup  ({check})")
PY
}

echo "# Unbound ($THREADS thread(s), tools/resolver config, no trust anchor) in front of NSD (1 worker): $NAMES A lookups, $CONCURRENCY in flight; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run cold "$PORT"
run warm "$PORT"
run direct "$NSD_PORT"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
