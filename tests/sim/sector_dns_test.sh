#!/usr/bin/env bash
# End-to-end accuracy of `mxscan scan` (DNS half) on the simulated sector:
# generate 2,000 domains with tools/sim/gen_sector.py, serve its zones with
# a real NSD on loopback, scan them with --no-smtp, dump the records to
# JSONL and compare them with the generator's truth (check_sector.py).
#
# Steps:
#   1. the generator is deterministic and its zones load (nsd-checkzone);
#      every DKIM selector the truth names is in the scanner's default list;
#   2. the checker notices a missing line, a duplicate and a wrong field;
#   3. the fields the scan fills today ($TODAY_FIELDS) must match: a failure
#      here is a regression;
#   4. the full truth must match (or only $SECTOR_FIELDS when set, e.g.
#      SECTOR_FIELDS=spf,dmarc): this decides the exit status (it passes
#      since the evaluators were wired into the scan, commit a4785e2).
#
# Run by hand after `bazel build //scanner:mxscan`:
#   tests/sim/sector_dns_test.sh
# Environment: SECTOR_DOMAINS (2000), SECTOR_SEED (5), SECTOR_CONCURRENCY
# (500, the scan's --concurrency), SECTOR_FIELDS (see 4.), MXSCAN (binary).
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f "$ROOT/tools/sim/gen_sector.py" ]] || ROOT=$CHECKOUT
SIM="$ROOT/tools/sim"
MXSCAN=${MXSCAN:-$ROOT/scanner/mxscan}
[[ -x "$MXSCAN" ]] || MXSCAN=$CHECKOUT/bazel-bin/scanner/mxscan
N=${SECTOR_DOMAINS:-2000}
SEED=${SECTOR_SEED:-5}
# Fields checked first, as a regression gate with a short report: what the
# scan filled before the checks' evaluators landed, plus SPF and DMARC.
TODAY_FIELDS=domain,sector,status,mxStatus,mx,nullMx,implicitMx,dnssec,spf,dmarc,mtaSts.txtPresent,mtaSts.record,tlsRpt.present,tlsRpt.record,bimi.present,bimi.record,dkim.selector,dkimNoKeys

TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/sector_dns_test.XXXXXX")
mkdir -p "$TMP/nsd"
trap '"$SIM/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true' EXIT

echo "== generating $N domains (seed $SEED)"
python3 "$SIM/gen_sector.py" --domains "$N" --seed "$SEED" --out "$TMP/sim"
python3 "$SIM/gen_sector.py" --domains "$N" --seed "$SEED" --out "$TMP/again" --quiet
for f in "$TMP"/sim/*; do
  cmp "$f" "$TMP/again/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs between two runs"; exit 1; }
done
[[ $(($(wc -l <"$TMP/sim/domains.csv") - 1)) -eq $N ]] || { echo "FAIL: domains.csv is not $N lines"; exit 1; }
[[ $(wc -l <"$TMP/sim/truth.jsonl") -eq $N ]] || { echo "FAIL: truth.jsonl is not $N lines"; exit 1; }
while read -r zone file; do
  nsd-checkzone "$zone" "$TMP/sim/$file" >/dev/null || { echo "FAIL: zone $zone does not load"; exit 1; }
done <"$TMP/sim/zones.txt"

# The truth's dkim lists keys under the scanner's default selectors: every
# selector it names must be in the scanner's default list.
lists=()
for f in "$ROOT/scanner/checks/dkim/default_selectors.h" \
         "$CHECKOUT/scanner/checks/dkim/default_selectors.h"; do
  [[ -f "$f" ]] && lists+=("$f") && break
done
[[ ${#lists[@]} -gt 0 ]] || { echo "FAIL: no default DKIM selector list found"; exit 1; }
python3 - "$TMP/sim/truth.jsonl" "${lists[@]}" <<'PY'
import json, re, sys
used = {k["selector"] for line in open(sys.argv[1])
        for k in json.loads(line).get("dkim", [])}
for path in sys.argv[2:]:
    listed = set(re.findall(r'"([^"]+)"', open(path).read()))
    missing = sorted(used - listed)
    if missing:
        sys.exit(f"FAIL: selectors {missing} are not in {path}: update "
                 "the DKIM selector lists of tools/sim/sector/constants.py")
PY

echo "== serving the zones with NSD"
PORT=$(python3 "$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP/nsd" "$PORT" --zones "$TMP/sim/zones.txt"

echo "== mxscan scan"
"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/out" \
  --resolver "127.0.0.1:$PORT" --no-smtp --no-progress \
  --psl-file "$TMP/sim/psl.dat" --dmarc-profile rfc9989 --concurrency "${SECTOR_CONCURRENCY:-500}"
"$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"

echo "== the checker notices differences"
r="$TMP/results.jsonl"
expect_fail() {
  if python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$1" \
      --fields "$TODAY_FIELDS" >"$TMP/check.out"; then
    echo "FAIL: the checker accepted $2"; exit 1
  fi
  grep -q "$3" "$TMP/check.out" || { echo "FAIL: checker summary lacks '$3'"; cat "$TMP/check.out"; exit 1; }
}
sed 1d "$r" >"$TMP/bad1"
expect_fail "$TMP/bad1" "a missing line" " 1 missing"
{ cat "$r"; head -n 1 "$r"; } >"$TMP/bad2"
expect_fail "$TMP/bad2" "a duplicate line" " 1 duplicated"
python3 - "$r" "$TMP/bad3" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
for i, line in enumerate(lines):
    rec = json.loads(line)
    if len(rec.get("mx", [])) > 1:
        rec["mx"][0], rec["mx"][1] = rec["mx"][1], rec["mx"][0]  # order
        lines[i] = json.dumps(rec)
        break
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
expect_fail "$TMP/bad3" "MX hosts out of order" " 1 mismatched"

echo "== regression gate: $TODAY_FIELDS"
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$r" \
  --fields "$TODAY_FIELDS" || { echo "FAIL: regression in fields the scan already fills"; exit 1; }

echo "== ${SECTOR_FIELDS:-all fields of the truth}"
if python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" --results "$r" \
    ${SECTOR_FIELDS:+--fields "$SECTOR_FIELDS"}; then
  echo "PASS: the scan reproduces the simulated sector's truth"
else
  echo "FAIL: the scan differs from the truth (see above)"
  exit 1
fi
