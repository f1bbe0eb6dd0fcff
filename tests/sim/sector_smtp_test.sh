#!/usr/bin/env bash
# End-to-end accuracy of `mxscan scan` with SMTP on the simulated sector:
# generate 2,000 domains with tools/sim/gen_sector.py, serve the zones with
# a real NSD and the MX addresses and MTA-STS policy hosts with the
# project's SMTP+HTTPS farm (tools/farm), all on loopback; scan with SMTP
# probes and policy fetches, dump the records to JSONL and compare them
# with the generator's whole truth, DNS and SMTP halves (check_sector.py
# --smtp yes).
#
# Steps:
#   1. the generator's SMTP half is consistent: every MX address of the
#      truth has a behaviour in addresses.json, every policy of
#      mta-sts.json is in the farm's policy directory;
#   2. the checker notices wrong, missing and unexpected SMTP fields;
#   3. NSD and the farm start (free ports; the farm's CA for --ca-file);
#   4. the scan finishes within $SECTOR_SCAN_LIMIT seconds (a hang or a
#      probe that never ends fails here, with the time it took);
#   5. the full truth must match.
# Everything started is stopped on exit.
#
# Run by hand after `bazel build //scanner:mxscan //tools/farm:smtp_farm`:
#   tests/sim/sector_smtp_test.sh
# Environment: SECTOR_DOMAINS (2000), SECTOR_SEED (5), SECTOR_CONCURRENCY
# (100, the scan's --concurrency: the farm is one thread and signs every
# handshake; with hundreds of domains in flight its queue pushes replies
# towards the 2 s timeout, and the scan is no faster, its wall time being
# set by the deferral retries), SECTOR_SMTP_TIMEOUT_MS (2000, the scan's
# --smtp-timeout-ms; the truth assumes 1500 or more), SECTOR_SCAN_LIMIT
# (120), SECTOR_FIELDS (compare only these fields), MXSCAN and SMTP_FARM
# (binaries), SECTOR_KEEP=1 (keep the working directory). Under Bazel a
# failure leaves the truth, the results and the farm's log in the test's
# undeclared outputs (bazel-testlogs/tests/sim/sector_smtp_test/test.outputs).
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f "$ROOT/tools/sim/gen_sector.py" ]] || ROOT=$CHECKOUT
SIM="$ROOT/tools/sim"
MXSCAN=${MXSCAN:-$ROOT/scanner/mxscan}
[[ -x "$MXSCAN" ]] || MXSCAN=$CHECKOUT/bazel-bin/scanner/mxscan
SMTP_FARM=${SMTP_FARM:-$ROOT/tools/farm/smtp_farm}
[[ -x "$SMTP_FARM" ]] || SMTP_FARM=$CHECKOUT/bazel-bin/tools/farm/smtp_farm
for b in "$MXSCAN" "$SMTP_FARM"; do
  [[ -x "$b" ]] || { echo "FAIL: $b not found (bazel build //scanner:mxscan //tools/farm:smtp_farm)"; exit 1; }
done
N=${SECTOR_DOMAINS:-2000}
SEED=${SECTOR_SEED:-5}
SMTP_TIMEOUT_MS=${SECTOR_SMTP_TIMEOUT_MS:-2000}
SCAN_LIMIT=${SECTOR_SCAN_LIMIT:-120}

TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/sector_smtp_test.XXXXXX")
mkdir -p "$TMP/nsd" "$TMP/farm"
FARM_PID=
cleanup() {
  local status=$?
  if [[ $status -ne 0 && -n ${TEST_UNDECLARED_OUTPUTS_DIR:-} ]]; then
    # What a failure needs for a diagnosis (Bazel keeps it in outputs.zip).
    for f in sim/truth.jsonl sim/addresses.json sim/mta-sts.json \
             results.jsonl farm/farm.log; do
      [[ -f $TMP/$f ]] && cp "$TMP/$f" "$TEST_UNDECLARED_OUTPUTS_DIR/" || true
    done
  fi
  if [[ -n $FARM_PID ]]; then
    kill "$FARM_PID" 2>/dev/null || true
    wait "$FARM_PID" 2>/dev/null || true
  fi
  "$SIM/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true
  if [[ ${SECTOR_KEEP:-0} == 1 ]]; then
    echo "kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # so that a timeout still runs cleanup

echo "== generating $N domains (seed $SEED)"
python3 "$SIM/gen_sector.py" --domains "$N" --seed "$SEED" --out "$TMP/sim" \
  --mta-sts-dir "$TMP/farm/mta-sts" | sed -n '/^SMTP behaviours/,$p;/mta-sts-policy:/p'

echo "== the SMTP half of the sector is consistent"
python3 - "$TMP/sim" "$TMP/farm/mta-sts" <<'PY'
import json, os, sys
sim, policies = sys.argv[1], sys.argv[2]
farm = json.load(open(os.path.join(sim, "addresses.json")))
bodies = json.load(open(os.path.join(sim, "mta-sts.json")))
probed = 0
for line in open(os.path.join(sim, "truth.jsonl")):
    t = json.loads(line)
    for mx in t.get("mx", []):
        for a in mx["addresses"]:
            probed += 1
            if a["ip"] not in farm or "smtp" not in a:
                sys.exit(f"FAIL: {t['domain']}: {a['ip']} has no behaviour or no smtp truth")
for d, body in bodies.items():
    with open(os.path.join(policies, d), newline="") as f:
        if f.read() != body:
            sys.exit(f"FAIL: policy of {d} differs in {policies}")
if sorted(os.listdir(policies)) != sorted(bodies):
    sys.exit(f"FAIL: {policies} does not hold exactly the policies of mta-sts.json")
print(f"{probed} MX addresses in the truth, {len(bodies)} policies")
PY

echo "== the checker notices SMTP differences"
python3 - "$TMP/sim/truth.jsonl" "$TMP" <<'PY'
# Three altered copies of the truth used as "results": a probe whose TLS
# verdict flips, a probe whose error disappears, and a probe that shows a
# handshake where the truth says there is none.
import json, os, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
def alter(name, change):
    out = [json.loads(json.dumps(t)) for t in lines]
    for t in out:
        for mx in t.get("mx", []):
            for a in mx["addresses"]:
                if change(a["smtp"]):
                    with open(os.path.join(sys.argv[2], name), "w") as f:
                        for u in out:
                            f.write(json.dumps(u, ensure_ascii=False) + "\n")
                    return
    sys.exit(f"FAIL: nothing to alter for {name}")
def flip(s):
    if s.get("tls") and s["tls"]["certTrusted"]:
        s["tls"]["certTrusted"] = False
        return True
def lose_error(s):
    if s.get("error"):
        s["error"] = None
        return True
def add_tls(s):
    if "tls" in s and s["tls"] is None:
        s["tls"] = {"version": "TLSv1.2"}
        return True
alter("bad_trust", flip)
alter("bad_error", lose_error)
alter("bad_tls", add_tls)
PY
# The truth as results has nulls where a dump has nothing: drop them.
strip_nulls() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        out.write(json.dumps(clean(json.loads(line)), ensure_ascii=False) + "\n")
PY
}
strip_nulls "$TMP/sim/truth.jsonl" "$TMP/good"
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$TMP/good" \
  --smtp yes >"$TMP/check.out" || { echo "FAIL: the truth does not match itself"; cat "$TMP/check.out"; exit 1; }
for bad in bad_trust:certTrusted bad_error:error bad_tls:"expected absent"; do
  file=${bad%%:*} want=${bad#*:}
  strip_nulls "$TMP/$file" "$TMP/$file.results"
  if python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
      --results "$TMP/$file.results" --smtp yes >"$TMP/check.out"; then
    echo "FAIL: the checker accepted $file"; exit 1
  fi
  grep -q " 1 mismatched" "$TMP/check.out" && grep -q "$want" "$TMP/check.out" ||
    { echo "FAIL: checker output for $file lacks '$want'"; cat "$TMP/check.out"; exit 1; }
done
# --smtp auto skips the SMTP half of results without probes.
python3 - "$TMP/good" "$TMP/nosmtp" <<'PY'
import json, sys
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        t = json.loads(line)
        for mx in t.get("mx", []):
            for a in mx["addresses"]:
                a.pop("smtp", None)
        for k in ("policyFetched", "mode", "mx", "maxAge", "mxNotCovered"):
            t.get("mtaSts", {}).pop(k, None)
        out.write(json.dumps(t, ensure_ascii=False) + "\n")
PY
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$TMP/nosmtp" \
  >"$TMP/check.out" || { echo "FAIL: --smtp auto compared SMTP fields of a --no-smtp scan"; cat "$TMP/check.out"; exit 1; }
if python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$TMP/nosmtp" \
    --smtp yes >"$TMP/check.out"; then
  echo "FAIL: --smtp yes accepted results without probes"; exit 1
fi

echo "== serving the zones with NSD and the sector with the farm"
PORT=$(python3 "$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP/nsd" "$PORT" --zones "$TMP/sim/zones.txt"
"$SMTP_FARM" --behaviours "$TMP/sim/addresses.json" --mta-sts "$TMP/farm/mta-sts" \
  --smtp-port 0 --https-port 0 --ca-out "$TMP/farm/ca.pem" \
  --ready-file "$TMP/farm/ready" >"$TMP/farm/farm.log" 2>&1 &
FARM_PID=$!
for _ in $(seq 1 600); do
  [[ -s $TMP/farm/ready ]] && break
  kill -0 "$FARM_PID" 2>/dev/null || { echo "FAIL: smtp_farm exited"; cat "$TMP/farm/farm.log"; exit 1; }
  sleep 0.1
done
[[ -s $TMP/farm/ready ]] || { echo "FAIL: smtp_farm not ready after 60 s"; exit 1; }
SMTP_PORT=$(awk '$1 == "smtp_port" {print $2}' "$TMP/farm/ready")
HTTPS_PORT=$(awk '$1 == "https_port" {print $2}' "$TMP/farm/ready")
cat "$TMP/farm/farm.log"

echo "== mxscan scan (SMTP port $SMTP_PORT, HTTPS port $HTTPS_PORT)"
start=$(date +%s%N)
status=0
timeout -s KILL "$SCAN_LIMIT" "$MXSCAN" scan --input "$TMP/sim/domains.csv" \
  --output "$TMP/out" --resolver "127.0.0.1:$PORT" \
  --smtp-port "$SMTP_PORT" --https-port "$HTTPS_PORT" \
  --ca-file "$TMP/farm/ca.pem" --psl-file "$TMP/sim/psl.dat" \
  --dmarc-profile rfc9989 --smtp-timeout-ms "$SMTP_TIMEOUT_MS" \
  --concurrency "${SECTOR_CONCURRENCY:-100}" --no-progress || status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
seconds=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
echo "scan: exit status $status after ${seconds} s"
if [[ $status -eq 137 ]]; then
  echo "FAIL: the scan did not finish within $SCAN_LIMIT s (a hang, or a probe that never ends)"
  exit 1
fi
[[ $status -eq 0 ]] || { echo "FAIL: the scan failed"; exit 1; }
"$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"

# Every certificate the records name is stored exactly once, beside them.
"$MXSCAN" dump "$TMP/out" --certificates >"$TMP/certificates.jsonl"
python3 - "$TMP/results.jsonl" "$TMP/certificates.jsonl" <<'PY'
import json, sys
named = set()
for line in open(sys.argv[1]):
    for mx in json.loads(line).get("mx", []):
        for a in mx.get("addresses", []):
            named.update(a.get("smtp", {}).get("tls", {}).get("certChainSha256", []))
stored = [json.loads(l)["sha256"] for l in open(sys.argv[2])]
assert len(stored) == len(set(stored)), "a certificate stored twice"
missing = named - set(stored)
assert not missing, f"{len(missing)} certificates named but not stored"
print(f"certificates: {len(named)} named by the records, {len(stored)} stored once each")
PY

echo "== ${SECTOR_FIELDS:-all fields of the truth, DNS and SMTP}"
if python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
    --results "$TMP/results.jsonl" --smtp yes \
    ${SECTOR_FIELDS:+--fields "$SECTOR_FIELDS"}; then
  echo "PASS: the scan reproduces the simulated sector's truth (scan ${seconds} s)"
else
  echo "FAIL: the scan differs from the truth (see above)"
  exit 1
fi
