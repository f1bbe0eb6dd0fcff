#!/usr/bin/env bash
# DNS-only scan benchmark (loopback only, bounded): DOMAINS simulated
# domains (default 100,000; tools/sim/gen_sector.py, ~40% on shared
# providers) served by one NSD worker, scanned by `mxscan scan --no-smtp`
# with the scan-wide DNS cache and again with --no-dns-cache. Reports
# domains/s, DNS questions and queries sent per domain, CPU per domain and
# peak RSS, and checks every record against the ground truth.
#
#   bench/scan/bench_scan_dns.sh [DOMAINS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
DOMAINS=${1:-100000}
CONCURRENCY=${2:-2000}

tools/install_deps.sh
bazel build -c opt //scanner:mxscan 2>&1 | tail -n 1
MXSCAN=$(bazel info -c opt bazel-bin 2>/dev/null)/scanner/mxscan

WORK=$(mktemp -d /tmp/mxscan-bench-scan.XXXXXX)
trap 'tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed 3 --out "$WORK/sim" >/dev/null
mkdir -p "$WORK/nsd"
PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=120 tools/sim/nsd_server.sh start "$WORK/nsd" "$PORT" --zones "$WORK/sim/zones.txt"

echo "# mxscan scan --no-smtp: $DOMAINS simulated domains, $CONCURRENCY domains in flight, NSD 1 worker, $(nproc) cores"
for mode in cache no-cache; do
  extra=()
  [[ $mode == no-cache ]] && extra=(--no-dns-cache)
  rm -rf "$WORK/out-$mode"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$mode" "$MXSCAN" scan \
    --input "$WORK/sim/domains.csv" --output "$WORK/out-$mode" \
    --resolver "127.0.0.1:$PORT" --no-smtp --no-progress \
    --psl-file "$WORK/sim/psl.dat" --concurrency "$CONCURRENCY" \
    "${extra[@]}" 2>"$WORK/log-$mode"
  read -r wall user sys rss <"$WORK/time-$mode"
  "$MXSCAN" dump "$WORK/out-$mode" --format jsonl >"$WORK/results-$mode.jsonl"
  check=$(python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" \
    --results "$WORK/results-$mode.jsonl" | head -n 1 || true)
  questions=$(grep -o '[0-9]* DNS questions' "$WORK/log-$mode" | cut -d' ' -f1)
  queries=$(grep -o '[0-9]* queries sent' "$WORK/log-$mode" | cut -d' ' -f1)
  python3 - "$mode" "$DOMAINS" "$wall" "$user" "$sys" "$rss" "$questions" "$queries" "$check" <<'PY'
import sys
mode, n, wall, user, sys_, rss, questions, queries, check = sys.argv[1:]
n = int(n); wall = float(wall); cpu = float(user) + float(sys_)
print(f"{mode:9s} {n / wall:8.0f} domains/s  wall {wall:6.2f} s  "
      f"CPU {cpu / n * 1e6:6.1f} us/domain  peak RSS {int(rss) / 1024:6.1f} MiB  "
      f"questions/domain {int(questions) / n:5.1f}  queries sent/domain "
      f"{int(queries) / n:5.1f}  | {check}")
PY
done
