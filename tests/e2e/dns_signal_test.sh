#!/usr/bin/env bash
# SIGINT stops `mxscan dns` gracefully: lookups in flight finish, what is
# done is written whole (no torn line), and the exit code is 130.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dns_signal_test.XXXXXX")

"$ROOT/tools/fakedns/misbehaving_dns_server" --port 0 --delay-ms 200 \
  --port-file "$TMP/port" 2>"$TMP/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 400); do [[ -s "$TMP/port" ]] && break; sleep 0.05; done
[[ -s "$TMP/port" ]] || { echo "the DNS server did not start"; cat "$TMP/server.log"; exit 1; }
PORT=$(cat "$TMP/port")

seq 1 200000 | sed 's/^/ok-/; s/$/.slow.test/' >"$TMP/names.txt"
"$ROOT/scanner/mxscan" dns --type A --resolver "127.0.0.1:$PORT" \
  --concurrency 500 --rate 5000 --no-progress --input "$TMP/names.txt" \
  --output "$TMP/out.jsonl" 2>"$TMP/log" &
SCAN=$!
sleep 1.5
kill -INT $SCAN
set +e
wait $SCAN
code=$?
set -e
cat "$TMP/log"
[[ $code -eq 130 ]] || { echo "exit code $code, want 130"; exit 1; }
lines=$(wc -l <"$TMP/out.jsonl")
(( lines > 0 && lines < 200000 )) || { echo "$lines lines written"; exit 1; }
python3 - "$TMP/out.jsonl" <<'PY'
import json, sys
names = set()
for line in open(sys.argv[1]):
    r = json.loads(line)               # a torn line would not parse
    assert r["status"] == "NOERROR", r  # nothing cut short in flight
    assert r["name"] not in names
    names.add(r["name"])
print(f"{len(names)} complete results before the stop")
PY
echo "dns_signal_test: all checks passed"
