#!/usr/bin/env bash
# The main job on the embedded default: a simulated sector zone of NAMES
# names (default 100,000) served by a real NSD on loopback, bulk-resolved
# by `mxscan dns` for A, MX and TXT, every answer checked against the
# generator's ground truth, and a summary printed. Loopback only.
#
#   tools/demo.sh [NAMES] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
NAMES=${1:-100000}
OUT=${2:-$(mktemp -d /tmp/mxscan-demo.XXXXXX)}
mkdir -p "$OUT"

tools/install_deps.sh
bazel build //scanner:mxscan 2>&1 | tail -n 2
MXSCAN=bazel-bin/scanner/mxscan

echo "== generating a simulated zone of $NAMES names in $OUT"
python3 tools/sim/gen_dns_zone.py --names "$NAMES" --seed 1 --out "$OUT" >/dev/null
mkdir -p "$OUT/nsd"
PORT=$(python3 tools/sim/free_port.py)
trap 'tools/sim/nsd_server.sh stop "$OUT/nsd" >/dev/null 2>&1 || true' EXIT
tools/sim/nsd_server.sh start "$OUT/nsd" "$PORT" sim.test "$OUT/sim.test.zone"
echo "== NSD serves sim.test on 127.0.0.1:$PORT"

for T in A MX TXT; do
  echo "== mxscan dns --type $T ($NAMES names)"
  "$MXSCAN" dns --type "$T" --resolver "127.0.0.1:$PORT" --concurrency 2000 \
    --input "$OUT/names-$T.txt" --output "$OUT/results-$T.jsonl"
  python3 tools/sim/check_dns_results.py --truth "$OUT/truth-$T.jsonl" \
    --results "$OUT/results-$T.jsonl" | head -n 1
  echo
done
echo "== results in $OUT/results-{A,MX,TXT}.jsonl; first line:"
head -n 1 "$OUT/results-MX.jsonl"
