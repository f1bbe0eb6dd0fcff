#!/usr/bin/env bash
# mxscan dns against the project's misbehaving DNS server: drops, delays,
# duplicates, wrong IDs and questions, answers from the wrong port, forged
# answers, truncation and broken TCP, malformed packets and compression
# loops, bad RCODEs, CNAME loops. Thousands of names in flight at once;
# the client must not crash or hang, must accept no forged answer, and must
# write exactly one classified line per input name.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
HERE="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}/tests/e2e"
[[ -f "$HERE/check_misbehaving.py" ]] || HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dns_misbehaving_test.XXXXXX")

"$ROOT/tools/fakedns/misbehaving_dns_server" --port 0 \
  --port-file "$TMP/port" 2>"$TMP/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 400); do [[ -s "$TMP/port" ]] && break; sleep 0.05; done
[[ -s "$TMP/port" ]] || { echo "the DNS server did not start"; cat "$TMP/server.log"; exit 1; }
PORT=$(cat "$TMP/port")

python3 - "$TMP/names.txt" <<'PY'
import sys
kinds = ["ok", "nodata", "dropfirst", "delay20", "dup", "wrongidthenok",
         "wrongqthenok", "spoof", "tc", "tcbig", "chain3", "drop", "wrongid",
         "wrongq", "wrongport", "tcsilent", "garbage", "short", "tcclose",
         "malformed", "ptrloop", "cnameloop", "chain20", "badrdata",
         "formerr", "servfail", "refused", "nxdomain"]
with open(sys.argv[1], "w") as f:
    for i in range(6000):
        k = kinds[i % len(kinds)]
        name = f"{k}-{i}.Misbehave.Test"
        f.write((name.upper() if i % 7 == 0 else name) + "\n")
    f.write("invalid..name\n")
PY

for T in A TXT; do
  "$ROOT/scanner/mxscan" dns --type "$T" --resolver "127.0.0.1:$PORT" \
    --concurrency 3000 --timeout-ms 150 --retries 2 --no-progress \
    --input "$TMP/names.txt" --output "$TMP/out-$T.jsonl" 2>"$TMP/log-$T"
  cat "$TMP/log-$T"
  python3 "$HERE/check_misbehaving.py" "$TMP/names.txt" "$TMP/out-$T.jsonl"
done
# Standard input and output as "-": a line each, and no parser warning
# that "-" looks like a flag.
printf 'ok-1.misbehave.test\nnxdomain-2.misbehave.test\n' |
  "$ROOT/scanner/mxscan" dns --resolver "127.0.0.1:$PORT" --no-progress \
    --input - --output - >"$TMP/stdin.jsonl" 2>"$TMP/log-stdin"
[[ $(wc -l <"$TMP/stdin.jsonl") -eq 2 ]] || { echo "--input -: $(cat "$TMP/stdin.jsonl")"; exit 1; }
if grep -q "Did you really mean" "$TMP/log-stdin"; then
  echo "--input - drew a warning: $(cat "$TMP/log-stdin")"; exit 1
fi
echo "dns_misbehaving_test: all checks passed"
