#!/usr/bin/env bash
# The main job on the embedded default: a simulated public sector of
# DOMAINS domains (default 5,000; tools/sim/gen_sector.py) with DNSSEC (the
# sim's own root, most domains signed, a few broken; TLSA records on MX
# hosts) signed by ldns-signzone, served by a real NSD behind a validating
# Unbound, and the project's SMTP+HTTPS farm (mail servers, MTA-STS
# policies) on loopback, scanned whole by `mxscan scan` with a progress
# bar; every record is checked against the generator's ground truth; the
# sector table is printed and written with the HTML report (mxscan stats);
# the servers are stopped at the end. Loopback only.
#
#   tools/demo.sh [DOMAINS] [OUTPUT_DIR]
#   tools/demo.sh --us-gov [OUTPUT_DIR]
#
# --us-gov: the same on the bundled US .gov list (tools/sectors/us-dotgov.csv,
# 16,539 domains): the real domain, sector and organisation names, with
# postures drawn as for invented ones (gen_sector.py --names); the sim's
# root then delegates gov. Each step's time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --us-gov ]]; then
  NAMES=tools/sectors/us-dotgov.csv
  DOMAINS=$(($(wc -l <"$NAMES") - 1))
  OUT=${2:-$(mktemp -d /tmp/mxscan-demo.XXXXXX)}
  GENERATE=(--names "$NAMES")
  TITLE="US .gov, $DOMAINS real names with simulated postures"
  WHAT="the bundled US .gov list ($DOMAINS domains)"
else
  DOMAINS=${1:-5000}
  OUT=${2:-$(mktemp -d /tmp/mxscan-demo.XXXXXX)}
  GENERATE=(--domains "$DOMAINS")
  TITLE="Simulated sector, $DOMAINS domains"
  WHAT="a simulated sector of $DOMAINS domains"
fi
mkdir -p "$OUT"

# Each step's wall time, printed at the end.
STEP_TIMES=()
STEP_NAME=
STEP_START=
step() {  # ends the step under way; starts the one named $1, if any
  local now=${EPOCHREALTIME/,/.}
  if [[ -n $STEP_NAME ]]; then
    STEP_TIMES+=("$(awk -v start="$STEP_START" -v end="$now" -v name="$STEP_NAME" \
      'BEGIN { printf "%8.1f s  %s", end - start, name }')")
  fi
  STEP_NAME=${1:-}
  STEP_START=$now
}

tools/install_deps.sh
bazel build //scanner:mxscan //tools/farm:smtp_farm 2>&1 | tail -n 1
BIN=$(bazel info bazel-bin 2>/dev/null)
MXSCAN=$BIN/scanner/mxscan

echo "== generating $WHAT in $OUT/sim"
step "generate (gen_sector.py)"
# US .gov is mostly signed: 80% of the domains here.
python3 tools/sim/gen_sector.py "${GENERATE[@]}" --seed 1 --out "$OUT/sim" \
  --mta-sts-dir "$OUT/sim/mta-sts" --dnssec-share 0.8 >/dev/null
rm -rf "$OUT/results"
cleanup() { tools/sim/sector_servers.sh stop "$OUT" >/dev/null 2>&1 || true; }
trap cleanup EXIT
step "sign the zones, start NSD, Unbound and the farm"
tools/sim/sector_servers.sh start "$OUT"
source "$OUT/servers.env"
echo "== zones signed in $SIGN_SECONDS s; NSD on 127.0.0.1:$DNS_PORT behind a validating Unbound on 127.0.0.1:$RESOLVER_PORT (trust anchor: the sim's root), mail farm on port $SMTP_PORT (SMTP) and $HTTPS_PORT (HTTPS)"

echo "== mxscan scan"
step "mxscan scan"
"$MXSCAN" scan --input "$OUT/sim/domains.csv" --output "$OUT/results" \
  --resolver "127.0.0.1:$RESOLVER_PORT" --trust-anchor-zone "$TRUST_ANCHOR_ZONE" \
  --smtp-port "$SMTP_PORT" --https-port "$HTTPS_PORT" \
  --ca-file "$CA_FILE" --psl-file "$PSL_FILE" \
  --concurrency 200 --smtp-timeout-ms 8000
step "mxscan dump (jsonl, csv)"
"$MXSCAN" dump "$OUT/results" --format jsonl >"$OUT/results.jsonl"
"$MXSCAN" dump "$OUT/results" --format csv >"$OUT/results.csv"

echo "== accuracy against the ground truth"
step "check_sector.py (every record against the truth)"
python3 tools/sim/check_sector.py --truth "$OUT/sim/truth.jsonl" \
  --results "$OUT/results.jsonl" --smtp yes | head -n 1

echo "== the sector at a glance (mxscan stats; every metric: $OUT/stats.md, definitions: scanner/stats/METRICS.md)"
step "mxscan stats (md, json, html, table)"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format md \
  --output "$OUT/stats.md" --title "$TITLE"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format json \
  --output "$OUT/stats.json"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format html \
  --output "$OUT/report.html" --title "$TITLE"
"$MXSCAN" stats "$OUT/results" --psl-file "$OUT/sim/psl.dat" --format md \
  --metrics mx_present,starttls_all_mx,valid_cert_all_mx,spf_hardfail,dmarc_enforced,mta_sts_effective,tls_rpt_present,dnssec,dane_valid,no_mail_locked \
  --title "$TITLE" | sed -n '3p;/^| sector/,/^$/p'
sed -n '/^## Mail providers/,/^$/p;/^| provider/,/^$/p' "$OUT/stats.md" | head -n 12

# One organisation's view: the report card of a domain with failures.
example=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("dmarc", {}).get("policy") == "none" and r.get("mx"):
        print(r["domain"]); break' "$OUT/results.jsonl")
if [[ -n "$example" ]]; then
  echo "== a report card (mxscan explain $example --from $OUT/results)"
  step "mxscan explain"
  "$MXSCAN" explain "$example" --from "$OUT/results" --psl-file "$OUT/sim/psl.dat"
fi

echo "== the report cards as a static site (mxscan site)"
step "mxscan site"
"$MXSCAN" site "$OUT/results" --output "$OUT/site" --psl-file "$OUT/sim/psl.dat" \
  --title "$TITLE"
step

echo "== time per step"
printf '%s\n' "${STEP_TIMES[@]}"

echo "== files in $OUT"
echo "  results/      the records (mxscan dump $OUT/results --format jsonl|csv)"
echo "  results.csv   one row per domain, for spreadsheets"
echo "  stats.md      stats.json   the sector figures"
echo "  report.html   the report with its charts (open it in a browser)"
echo "  site/         every organisation's report card (open site/index.html)"
