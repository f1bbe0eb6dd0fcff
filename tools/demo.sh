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
# US .gov is mostly signed: 80% of the domains here.
python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed 1 --out "$OUT/sim" \
  --mta-sts-dir "$OUT/sim/mta-sts" --dnssec-share 0.8 >/dev/null
rm -rf "$OUT/results"
cleanup() { tools/sim/sector_servers.sh stop "$OUT" >/dev/null 2>&1 || true; }
trap cleanup EXIT
tools/sim/sector_servers.sh start "$OUT"
source "$OUT/servers.env"
echo "== zones signed in $SIGN_SECONDS s; NSD on 127.0.0.1:$DNS_PORT behind a validating Unbound on 127.0.0.1:$RESOLVER_PORT (trust anchor: the sim's root), mail farm on port $SMTP_PORT (SMTP) and $HTTPS_PORT (HTTPS)"

echo "== mxscan scan"
"$MXSCAN" scan --input "$OUT/sim/domains.csv" --output "$OUT/results" \
  --resolver "127.0.0.1:$RESOLVER_PORT" --trust-anchor-zone "$TRUST_ANCHOR_ZONE" \
  --smtp-port "$SMTP_PORT" --https-port "$HTTPS_PORT" \
  --ca-file "$CA_FILE" --psl-file "$PSL_FILE" \
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
  --metrics mx_present,starttls_all_mx,valid_cert_all_mx,spf_hardfail,dmarc_enforced,mta_sts_effective,tls_rpt_present,dnssec,dane_valid,no_mail_locked \
  --title "Simulated sector, $DOMAINS domains" | sed -n '3p;/^| sector/,/^$/p'
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
  "$MXSCAN" explain "$example" --from "$OUT/results" --psl-file "$OUT/sim/psl.dat"
fi

echo "== the report cards as a static site (mxscan site)"
"$MXSCAN" site "$OUT/results" --output "$OUT/site" --psl-file "$OUT/sim/psl.dat" \
  --title "Simulated sector, $DOMAINS domains"

echo "== files in $OUT"
echo "  results/      the records (mxscan dump $OUT/results --format jsonl|csv)"
echo "  results.csv   one row per domain, for spreadsheets"
echo "  stats.md      stats.json   the sector figures"
echo "  report.html   the report with its charts (open it in a browser)"
echo "  site/         every organisation's report card (open site/index.html)"
