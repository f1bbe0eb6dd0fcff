#!/usr/bin/env bash
# The scan manifest: `mxscan scan` writes manifest.json (provenance) before
# the first record and completes it at the end; --resume adds a run;
# shards write their own; `stats` shows it, `diff` warns when two scans
# used different inputs, `export` stores it and `stats --from` shows it
# again. The scans ask a loopback port where nothing answers (--no-smtp):
# no traffic leaves the machine.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN="$ROOT/scanner/mxscan"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/manifest_test.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
QUICK=(--no-smtp --resolver "127.0.0.1:$PORT" --timeout-ms 50 --retries 0 --no-progress)
for i in $(seq 1 30); do echo "domain$i.example,test"; done >"$TMP/in.csv"
printf '// VERSION: 2026-11-30_12-00-00_UTC\ncom\n' >"$TMP/versioned.dat"

"$MXSCAN" scan --input "$TMP/in.csv" --output "$TMP/a" "${QUICK[@]}" 2>/dev/null
"$MXSCAN" scan --input "$TMP/in.csv" --output "$TMP/b" "${QUICK[@]}" \
  --psl-file "$TMP/versioned.dat" --dmarc-profile rfc7489 2>/dev/null
"$MXSCAN" scan --input "$TMP/in.csv" --output "$TMP/b" "${QUICK[@]}" \
  --psl-file "$TMP/versioned.dat" --dmarc-profile rfc7489 --resume 2>/dev/null
for i in 0 1; do
  "$MXSCAN" scan --input "$TMP/in.csv" --output "$TMP/shared" "${QUICK[@]}" \
    --shard "$i/2" --resume 2>/dev/null  # as tools/cluster/run_shard.sh does
done

python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
a = json.load(open(f"{tmp}/a/manifest.json"))
assert len(a["runs"]) == 1, a
run = a["runs"][0]
for key in ["runId", "mxscanVersion", "mxscanCommit", "commandLine", "options",
            "resolvers", "psl", "dmarcProfile", "dkimSelectors", "startedAt",
            "endedAt", "domainsByStatus", "shard"]:
    assert run.get(key) not in (None, "", [], {}), f"{key} missing: {run}"
assert run["options"]["timeout-ms"] == "50", run["options"]
assert run["options"]["no-smtp"] == "true"
# Nothing answers at the resolver's port: checked, and not validating.
assert run["resolvers"][0]["validation"] == "not validating (TIMEOUT)", run["resolvers"]
assert len(run["psl"]["sha256"]) == 64
assert sum(int(n) for n in run["domainsByStatus"].values()) == 30, run
assert run["shard"] == "0/1" and not run.get("smtp")
b = json.load(open(f"{tmp}/b/manifest.json"))
assert len(b["runs"]) == 2, "--resume adds a run"
assert b["runs"][1]["resumed"] and not b["runs"][0].get("resumed")
assert b["runs"][0]["psl"]["date"] == "2026-11-30_12-00-00_UTC", b["runs"][0]["psl"]
assert b["runs"][0]["dmarcProfile"] == "rfc7489"
for i in (0, 1):
    s = json.load(open(f"{tmp}/shared/manifest-shard-{i}-of-2.json"))
    assert s["runs"][0]["shard"] == f"{i}/2"
print("ok: manifests of a scan, a resumed scan and two shards")
PY

"$MXSCAN" stats "$TMP/a" --format md >"$TMP/stats.md"
grep -q "^## Provenance" "$TMP/stats.md"
# Through a resolver that does not validate, DNSSEC and DANE are not
# measured (and the scan said so).
grep -q "not measured" "$TMP/stats.md"
"$MXSCAN" scan --input "$TMP/in.csv" --output "$TMP/c" "${QUICK[@]}" 2>"$TMP/c.err"
grep -q "does not validate\|is not validating" "$TMP/c.err"
grep -q "resolvers 127.0.0.1:$PORT" "$TMP/stats.md"
"$MXSCAN" stats "$TMP/a" --format json | python3 -c '
import json, sys; r = json.load(sys.stdin); assert len(r["provenance"]) == 1, r["provenance"]'
"$MXSCAN" diff "$TMP/a" "$TMP/b" >"$TMP/diff.md" 2>"$TMP/diff.err"
grep -q "differ in their Public Suffix List" "$TMP/diff.err"
grep -q "differ in their DMARC profile" "$TMP/diff.err"
grep -q "Warning:.*Public Suffix List" "$TMP/diff.md"
"$MXSCAN" diff "$TMP/a" "$TMP/a" 2>"$TMP/same.err" >/dev/null
if grep -q "warning" "$TMP/same.err"; then echo "FAIL: warned on one scan"; exit 1; fi
echo "ok: stats shows the provenance, diff warns where the scans differ"

"$MXSCAN" export "$TMP/a" --to "sqlite:$TMP/scans.db" >/dev/null 2>&1
"$MXSCAN" stats --from "sqlite:$TMP/scans.db" --format md | grep -q "resolvers 127.0.0.1:$PORT"
echo "ok: export stores the manifest, stats --from shows it"
# The report card of one domain of the scan.
"$MXSCAN" explain domain7.example --from "$TMP/a" >"$TMP/card.txt"
grep -q "^domain7.example (test)" "$TMP/card.txt"
grep -q "\[n/m \] DNSSEC" "$TMP/card.txt"
"$MXSCAN" explain DOMAIN7.example. --from "$TMP/a" --format json | python3 -c '
import json, sys; c = json.load(sys.stdin); assert c["domain"] == "domain7.example" and len(c["controls"]) == 11, c'
if "$MXSCAN" explain nowhere.example --from "$TMP/a" 2>/dev/null; then echo "FAIL: explained a domain not scanned"; exit 1; fi
# The export keeps the whole record: the same card from the database.
"$MXSCAN" explain domain7.example --from "sqlite:$TMP/scans.db" >"$TMP/card_db.txt"
cmp -s "$TMP/card.txt" "$TMP/card_db.txt" || { echo "FAIL: explain --from sqlite differs"; exit 1; }
echo "ok: explain prints the report card"
echo PASS
