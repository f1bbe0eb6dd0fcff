#!/usr/bin/env bash
# `mxscan scan --probe-tls-versions` against the project's farm: a modern
# server's oldest accepted version is found by extra capped handshakes, a
# TLS 1.0-only server is recognised as such, and a server that takes every
# version from 1.0 to 1.3 (Exim's defaults) gets all four listed, not only
# the newest and the oldest.
set -euo pipefail

RUNFILES="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$RUNFILES/scanner/mxscan" ]] || RUNFILES=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
SRC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$SRC/tools/sim/nsd_server.sh" ]] || SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/tls_versions_test.XXXXXX")
cleanup() {
  [[ -n "${FARM_PID:-}" ]] && kill "$FARM_PID" 2>/dev/null || true
  "$SRC/tools/sim/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true
}
trap cleanup EXIT

cat >"$TMP/behaviours.json" <<'JSON'
{"127.66.0.1": {"behaviour": "valid", "names": ["mx1.tv.test"]},
 "127.66.0.2": {"behaviour": "tls10_only", "names": ["mx2.tv.test"]},
 "127.66.0.3": {"behaviour": "tls_any_version", "names": ["mx3.tv.test"]}}
JSON
cat >"$TMP/tv.test.zone" <<'ZONE'
$ORIGIN tv.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 86400 300
@ NS ns1
ns1 A 127.0.0.1
a MX 10 mx1
b MX 10 mx2
c MX 10 mx3
mx1 A 127.66.0.1
mx2 A 127.66.0.2
mx3 A 127.66.0.3
ZONE
mkdir -p "$TMP/nsd"
PORT=$(python3 "$SRC/tools/sim/free_port.py")
"$SRC/tools/sim/nsd_server.sh" start "$TMP/nsd" "$PORT" tv.test "$TMP/tv.test.zone" >/dev/null
"$RUNFILES/tools/farm/smtp_farm" --behaviours "$TMP/behaviours.json" \
  --smtp-port 0 --https-port 0 --ca-out "$TMP/ca.pem" \
  --ready-file "$TMP/ready" >"$TMP/farm.log" 2>&1 &
FARM_PID=$!
for _ in $(seq 200); do [[ -s "$TMP/ready" ]] && break; sleep 0.05; done
SMTP=$(awk '$1 == "smtp_port" {print $2}' "$TMP/ready")
printf "a.tv.test\nb.tv.test\nc.tv.test\n" >"$TMP/in.txt"
"$RUNFILES/scanner/mxscan" scan --input "$TMP/in.txt" --output "$TMP/out" \
  --resolver "127.0.0.1:$PORT" --smtp-port "$SMTP" --ca-file "$TMP/ca.pem" \
  --probe-tls-versions --smtp-timeout-ms 5000 --no-progress
"$RUNFILES/scanner/mxscan" dump "$TMP/out" >"$TMP/results.jsonl"
python3 - "$TMP/results.jsonl" <<'PY'
import json, sys
seen = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    tls = d["mx"][0]["addresses"][0]["smtp"]["tls"]
    seen[d["domain"]] = (tls["version"], tls["oldestVersion"],
                         tls["versionsAccepted"])
assert seen["a.tv.test"] == ("TLSv1.3", "TLSv1.2", ["TLSv1.3", "TLSv1.2"]), seen
assert seen["b.tv.test"] == ("TLSv1", "TLSv1", ["TLSv1"]), seen
assert seen["c.tv.test"] == (
    "TLSv1.3", "TLSv1", ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"]), seen
print("tls_versions_test: oldest versions found:", seen)
PY
# The sector's figures: TLS 1.0 accepted by b and c, TLS 1.1 by c.
"$RUNFILES/scanner/mxscan" stats "$TMP/out" --format json >"$TMP/stats.json"
python3 - "$TMP/stats.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))["overall"]
got = {k: o[k] for k in ("tls_versions_probed", "tls10_accepted_any_mx", "tls11_accepted_any_mx")}
assert got == {"tls_versions_probed": 3, "tls10_accepted_any_mx": 2,
               "tls11_accepted_any_mx": 1}, got
PY
