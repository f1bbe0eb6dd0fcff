#!/usr/bin/env bash
# mxscan dns against a real NSD serving a generated zone: for A, AAAA, MX
# and TXT, every name gets exactly one line and it equals the ground truth
# (statuses, CNAME chains, multi-string TXT, mixed-case names). Also the
# protobuf output: one DnsLookup record per name.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN="$ROOT/scanner/mxscan"
SIM="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}/tools/sim"
[[ -f "$SIM/gen_dns_zone.py" ]] || SIM=$(cd "$(dirname "$0")/../.." && pwd)/tools/sim
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dns_nsd_test.XXXXXX")
trap '"$SIM/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true' EXIT

python3 "$SIM/gen_dns_zone.py" --names 5000 --seed 11 --out "$TMP" >/dev/null
mkdir -p "$TMP/nsd"
PORT=$(python3 "$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP/nsd" "$PORT" sim.test "$TMP/sim.test.zone"

for T in A AAAA MX TXT; do
  "$MXSCAN" dns --type "$T" --resolver "127.0.0.1:$PORT" --concurrency 500 \
    --input "$TMP/names-$T.txt" --output "$TMP/out-$T.jsonl" --no-progress \
    2>"$TMP/log-$T"
  python3 "$SIM/check_dns_results.py" --truth "$TMP/truth-$T.jsonl" \
    --results "$TMP/out-$T.jsonl"
  echo
done

# Names from standard input, protobuf output: one record per name.
head -n 1000 "$TMP/names-A.txt" |
  "$MXSCAN" dns --type A --resolver "127.0.0.1:$PORT" --format proto \
    --output "$TMP/out-A.pb" --no-progress 2>/dev/null
records=$(python3 - "$TMP/out-A.pb" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
pos = count = 0
while pos < len(data):
    size = shift = 0
    while True:
        b = data[pos]; pos += 1
        size |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80: break
    pos += size; count += 1
assert pos == len(data), "torn record"
print(count)
PY
)
[[ "$records" -eq 1000 ]] || { echo "proto output has $records records, want 1000"; exit 1; }
echo "dns_nsd_test: all checks passed"
