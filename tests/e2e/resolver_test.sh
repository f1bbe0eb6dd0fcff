#!/usr/bin/env bash
# The scan's resolver, tools/resolver/resolver.sh: Unbound started on
# loopback with the scanning configuration, forwarding to a real NSD that
# serves a generated zone (nothing leaves the machine). mxscan dns through
# it equals the zone's truth; mxscan scan through it records in its
# manifest that this Unbound (without a trust anchor) does not validate,
# and its DNSSEC figures read "not measured".
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN="$ROOT/scanner/mxscan"
SRC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$SRC/tools/sim/gen_dns_zone.py" ]] || SRC=$(cd "$(dirname "$0")/../.." && pwd)
SIM="$SRC/tools/sim"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/resolver_test.XXXXXX")
cleanup() {
  "$SRC/tools/resolver/resolver.sh" stop "$TMP/unbound" >/dev/null 2>&1 || true
  "$SIM/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true
}
trap cleanup EXIT

python3 "$SIM/gen_dns_zone.py" --names 2000 --seed 5 --out "$TMP" >/dev/null
mkdir -p "$TMP/nsd"
NSD_PORT=$(python3 "$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP/nsd" "$NSD_PORT" sim.test "$TMP/sim.test.zone"
PORT=$(python3 "$SIM/free_port.py")
FORWARD="127.0.0.1@$NSD_PORT" TRUST_ANCHOR=none RESOLVER_THREADS=1 \
  "$SRC/tools/resolver/resolver.sh" start "$TMP/unbound" "$PORT"
grep -q "ede: yes" "$TMP/unbound/unbound.conf"
grep -q "serve-expired: no" "$TMP/unbound/unbound.conf"

for T in A MX TXT; do
  "$MXSCAN" dns --type "$T" --resolver "127.0.0.1:$PORT" --concurrency 200 \
    --input "$TMP/names-$T.txt" --output "$TMP/out-$T.jsonl" --no-progress \
    2>"$TMP/log-$T"
  python3 "$SIM/check_dns_results.py" --truth "$TMP/truth-$T.jsonl" \
    --results "$TMP/out-$T.jsonl"
done
echo "ok: mxscan dns through Unbound equals the truth"

head -n 50 "$TMP/names-MX.txt" | sed 's/\.$//' >"$TMP/domains.txt"
"$MXSCAN" scan --input "$TMP/domains.txt" --output "$TMP/scan" --no-smtp \
  --resolver "127.0.0.1:$PORT" --no-progress 2>"$TMP/scan.err"
grep -q "is not validating" "$TMP/scan.err"
python3 - "$TMP/scan/manifest.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["resolvers"][0]["validation"].startswith("not validating"), run["resolvers"]
PY
"$MXSCAN" stats "$TMP/scan" | grep -q "not measured"
echo "ok: a scan through an Unbound without trust anchor says DNSSEC is not measured"
echo PASS
