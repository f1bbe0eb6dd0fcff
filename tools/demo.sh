#!/usr/bin/env bash
# The main job on the embedded default: a simulated public sector of
# DOMAINS domains (default 5,000; tools/sim/gen_sector.py) served by a real
# NSD (DNS) and the project's SMTP+HTTPS farm (mail servers, MTA-STS
# policies) on loopback, scanned whole by `mxscan scan` with a progress
# bar; every record is checked against the generator's ground truth; the
# sector table is printed and written with the HTML report (mxscan stats);
# the servers are stopped at the end. Loopback only.
#
#   tools/demo.sh [DOMAINS] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DOMAINS=${1:-5000}
OUT=${2:-$(mktemp -d /tmp/mxscan-demo.XXXXXX)}
mkdir -p "$OUT"

tools/install_deps.sh
bazel build //scanner:mxscan //tools/farm:smtp_farm 2>&1 | tail -n 1
BIN=$(bazel info bazel-bin 2>/dev/null)
MXSCAN=$BIN/scanner/mxscan

echo "== generating a simulated sector of $DOMAINS domains in $OUT/sim"
python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed 1 --out "$OUT/sim" \
  --mta-sts-dir "$OUT/sim/mta-sts" >/dev/null
mkdir -p "$OUT/nsd" "$OUT/farm"
FARM_PID=
cleanup() {
  [[ -n "$FARM_PID" ]] && kill "$FARM_PID" 2>/dev/null || true
  tools/sim/nsd_server.sh stop "$OUT/nsd" >/dev/null 2>&1 || true
}
trap cleanup EXIT
PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=60 tools/sim/nsd_server.sh start "$OUT/nsd" "$PORT" --zones "$OUT/sim/zones.txt" >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$BIN/tools/farm/smtp_farm" --behaviours "$OUT/sim/addresses.json" \
  --mta-sts "$OUT/sim/mta-sts" --smtp-port 0 --https-port 0 \
  --ca-out "$OUT/farm/ca.pem" --ready-file "$OUT/farm/ready" >"$OUT/farm/log" 2>&1 &
FARM_PID=$!
for _ in $(seq 600); do [[ -s "$OUT/farm/ready" ]] && break; sleep 0.05; done
SMTP=$(awk '$1 == "smtp_port" {print $2}' "$OUT/farm/ready")
HTTPS=$(awk '$1 == "https_port" {print $2}' "$OUT/farm/ready")
echo "== NSD on 127.0.0.1:$PORT, mail farm on port $SMTP (SMTP) and $HTTPS (HTTPS)"

echo "== mxscan scan"
"$MXSCAN" scan --input "$OUT/sim/domains.csv" --output "$OUT/results" \
  --resolver "127.0.0.1:$PORT" --smtp-port "$SMTP" --https-port "$HTTPS" \
  --ca-file "$OUT/farm/ca.pem" --psl-file "$OUT/sim/psl.dat" \
  --concurrency 200 --smtp-timeout-ms 8000
"$MXSCAN" dump "$OUT/results" --format jsonl >"$OUT/results.jsonl"
"$MXSCAN" dump "$OUT/results" --format csv >"$OUT/results.csv"

echo "== accuracy against the ground truth"
python3 tools/sim/check_sector.py --truth "$OUT/sim/truth.jsonl" \
  --results "$OUT/results.jsonl" --smtp yes | head -n 1

echo "== the sector at a glance (mxscan stats; every metric: $OUT/stats.md, definitions: scanner/stats/METRICS.md)"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format md \
  --output "$OUT/stats.md" --title "Simulated sector, $DOMAINS domains"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format json \
  --output "$OUT/stats.json"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format html \
  --output "$OUT/report.html" --title "Simulated sector, $DOMAINS domains"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format md \
  --metrics mx_present,starttls_all_mx,tls12_plus_all_mx,valid_cert_all_mx,spf_hardfail,dmarc_reject,mta_sts_enforce,tls_rpt_present \
  --title "Simulated sector, $DOMAINS domains" | sed -n '/^| sector/,/^$/p'
sed -n '/^## Mail providers/,/^$/p;/^| provider/,/^$/p' "$OUT/stats.md" | head -n 12

echo "== files in $OUT"
echo "  results/      the records (mxscan dump $OUT/results --format jsonl|csv)"
echo "  results.csv   one row per domain, for spreadsheets"
echo "  stats.md      stats.json   the sector figures"
echo "  report.html   the report with its charts (open it in a browser)"
