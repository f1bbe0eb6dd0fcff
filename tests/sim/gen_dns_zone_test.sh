#!/usr/bin/env bash
# Proves that gen_dns_zone.py's truth is what a real server serves: generate
# a 2,000-name zone, serve it with NSD on loopback, ask ~200 of the truth's
# questions with drill (ldns, independent of mxscan) and compare with
# check_dns_results.py. Also checks that the checker catches differences.
set -euo pipefail

# Under `bazel test` the tools are in the runfiles tree; run by hand, they
# are in the checkout.
ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$ROOT/tools/sim/gen_dns_zone.py" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM="$ROOT/tools/sim"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/gen_dns_zone_test.XXXXXX")
ZONE=sim.test
PER_TYPE=40  # random names per type, plus the edge cases picked below

trap '"$SIM/nsd_server.sh" stop "$TMP"' EXIT

"$SIM/gen_dns_zone.py" --names 2000 --seed 7 --zone "$ZONE" --out "$TMP"
[[ $(wc -l <"$TMP/names-A.txt") -eq 2000 ]] || { echo "names-A.txt is not 2000 lines"; exit 1; }
nsd-checkzone "$ZONE" "$TMP/$ZONE.zone"

# Same seed, same files.
"$SIM/gen_dns_zone.py" --names 2000 --seed 7 --zone "$ZONE" --out "$TMP/again"
for f in "$ZONE.zone" names-A.txt truth-TXT.jsonl; do
  cmp "$TMP/$f" "$TMP/again/$f"
done

PORT=$("$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP" "$PORT" "$ZONE" "$TMP/$ZONE.zone"

fail=0
for T in A AAAA MX TXT; do
  truth="$TMP/truth-$T.jsonl"
  {
    head -n "$PER_TYPE" "$TMP/names-$T.txt"
    grep -m 5 '[A-Z]' "$TMP/names-$T.txt" || true          # mixed case
    grep -m 3 '"NXDOMAIN"' "$truth" | cut -d'"' -f4        # nonexistent
    grep -m 3 'CNAME.*CNAME.*CNAME' "$truth" | cut -d'"' -f4  # 3-long chains
    if [[ $T == TXT ]]; then
      grep -m 3 '\\"' "$truth" | cut -d'"' -f4              # quotes, backslashes
      grep -m 3 -E '"data": "[^"]{300}' "$truth" | cut -d'"' -f4  # >255 bytes
    fi
  } | sed 's/\.$//' | sort -fu >"$TMP/sample-$T.txt"  # one line per name
  # The truth lines of the sampled names (lowercased, trailing dot).
  awk -F'"' 'NR == FNR { want[tolower($0) "."] = 1; next }
             $4 in want' "$TMP/sample-$T.txt" "$truth" >"$TMP/sample-truth-$T.jsonl"
  "$ROOT/tests/sim/drill_results.py" --port "$PORT" --type "$T" \
    <"$TMP/sample-$T.txt" >"$TMP/drill-$T.jsonl"
  echo "== $T: $(wc -l <"$TMP/sample-$T.txt") names asked"
  "$SIM/check_dns_results.py" --truth "$TMP/sample-truth-$T.jsonl" \
    --results "$TMP/drill-$T.jsonl" || fail=1
done
[[ $fail -eq 0 ]] || { echo "FAIL: NSD's answers differ from the truth"; exit 1; }

# The checker must notice a wrong status, a missing line and a duplicate.
r="$TMP/drill-A.jsonl"
expect_fail() {
  if "$SIM/check_dns_results.py" --truth "$TMP/sample-truth-A.jsonl" --results "$1" >"$TMP/out"; then
    echo "FAIL: checker accepted $2"; exit 1
  fi
  grep -q "$3" "$TMP/out" || { echo "FAIL: checker summary lacks '$3'"; cat "$TMP/out"; exit 1; }
}
sed '1s/"status": "[A-Z]*"/"status": "SERVFAIL"/' "$r" >"$TMP/bad1"
expect_fail "$TMP/bad1" "a wrong status" "1 mismatched"
sed 1d "$r" >"$TMP/bad2"
expect_fail "$TMP/bad2" "a missing line" "1 missing"
{ cat "$r"; head -n 1 "$r"; } >"$TMP/bad3"
expect_fail "$TMP/bad3" "a duplicate line" "1 duplicated"

echo "PASS: generator truth matches NSD"
