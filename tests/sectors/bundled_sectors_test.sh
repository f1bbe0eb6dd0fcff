#!/usr/bin/env bash
# The bundled sector lists (tools/sectors): the committed input files are
# what make_inputs.py makes from the verbatim sources, and each one is
# usable as `mxscan scan --input` as it is: every domain is a valid name
# and gets exactly one record carrying its sector and organisation. The
# scan asks a loopback port where nothing answers (no DNS leaves the
# machine), so every domain ends in TIMEOUT quickly.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
SECTORS="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}/tools/sectors"
[[ -f "$SECTORS/make_inputs.py" ]] || SECTORS=$(cd "$(dirname "$0")/../.." && pwd)/tools/sectors
SIM="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}/tools/sim"
[[ -f "$SIM/free_port.py" ]] || SIM=$(cd "$(dirname "$0")/../.." && pwd)/tools/sim
MXSCAN="$ROOT/scanner/mxscan"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bundled_sectors_test.XXXXXX")

python3 "$SECTORS/make_inputs.py" "$TMP" >/dev/null
for f in us-dotgov.csv uk-public-sector.csv uk-gov-uk-2017.csv; do
  cmp "$SECTORS/$f" "$TMP/$f" ||
    { echo "FAIL: tools/sectors/$f is not what make_inputs.py makes"; exit 1; }
done

PORT=$(python3 "$SIM/free_port.py")  # nothing listens there
for f in uk-public-sector.csv us-dotgov.csv; do
  "$MXSCAN" scan --input "$SECTORS/$f" --output "$TMP/out-$f" --no-smtp \
    --resolver "127.0.0.1:$PORT" --timeout-ms 150 --retries 0 \
    --no-progress 2>"$TMP/scan.log" ||
    { cat "$TMP/scan.log"; exit 1; }
  "$MXSCAN" dump "$TMP/out-$f" --format jsonl >"$TMP/$f.jsonl"
  python3 - "$SECTORS/$f" "$TMP/$f.jsonl" <<'PY'
import csv, json, sys
want = {r["domain"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
seen = {}
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    assert d["domain"] not in seen, f"twice: {d['domain']}"
    seen[d["domain"]] = d
assert set(seen) == set(want), (len(seen), len(want), sorted(set(want) ^ set(seen))[:5])
for name, d in seen.items():
    assert d["status"] != "ERROR", (name, d.get("errors"))
    assert d["sector"] == want[name]["sector"], name
    assert d.get("organization", "") == want[name]["organization"], name
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(seen)} domains, each once, "
      f"{len({d['sector'] for d in seen.values()})} sectors")
PY
done
echo "PASS"
