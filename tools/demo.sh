#!/usr/bin/env bash
# The main job on the embedded default: a simulated public sector of
# DOMAINS domains (default 5,000; tools/sim/gen_sector.py) served by a real
# NSD (DNS) and the project's SMTP+HTTPS farm (mail servers, MTA-STS
# policies) on loopback, scanned whole by `mxscan scan` with a progress
# line; every record is checked against the generator's ground truth, and
# a summary and the first rows of the CSV dump are printed. Loopback only.
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

echo "== the sector at a glance"
python3 - "$OUT/results.jsonl" <<'PY'
import json, sys
n = 0
c = dict(mx=0, starttls_all=0, tls12_all=0, trusted_all=0, spf=0, spf_hard=0,
         dmarc=0, dmarc_reject=0, mta_sts=0, tls_rpt=0)
for line in open(sys.argv[1]):
    d = json.loads(line)
    n += 1
    probes = [a.get("smtp", {}) for m in d.get("mx", []) for a in m.get("addresses", [])]
    if d.get("mx") and not d.get("nullMx"):
        c["mx"] += 1
        if probes and all(p.get("tls") for p in probes):
            c["starttls_all"] += 1
            if all(p["tls"].get("version") in ("TLSv1.2", "TLSv1.3") for p in probes):
                c["tls12_all"] += 1
            if all(p["tls"].get("certTrusted") and p["tls"].get("hostnameMatch") for p in probes):
                c["trusted_all"] += 1
    spf, dmarc = d.get("spf", {}), d.get("dmarc", {})
    c["spf"] += bool(spf.get("valid"))
    c["spf_hard"] += spf.get("valid", False) and spf.get("all") == "-all"
    c["dmarc"] += bool(dmarc.get("valid"))
    c["dmarc_reject"] += dmarc.get("policy") == "reject"
    c["mta_sts"] += d.get("mtaSts", {}).get("mode") == "enforce"
    c["tls_rpt"] += bool(d.get("tlsRpt", {}).get("valid"))
labels = {"mx": "accept mail (MX)", "starttls_all": "STARTTLS on every MX",
          "tls12_all": "TLS 1.2+ on every MX", "trusted_all": "valid certificate on every MX",
          "spf": "valid SPF", "spf_hard": "SPF -all", "dmarc": "valid DMARC",
          "dmarc_reject": "DMARC p=reject", "mta_sts": "MTA-STS enforce",
          "tls_rpt": "TLS-RPT"}
print(f"{n} domains")
for k, label in labels.items():
    print(f"  {label:32s} {c[k]:7d}  {100.0 * c[k] / max(n, 1):5.1f}%")
PY
echo "== first rows of $OUT/results.csv"
head -n 4 "$OUT/results.csv"
echo "== records in $OUT/results (mxscan dump $OUT/results --format jsonl|csv)"
