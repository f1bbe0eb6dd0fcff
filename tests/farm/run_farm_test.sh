#!/usr/bin/env bash
# tools/farm/run_farm.sh starts the farm binary, waits for its ready file
# and prints its pid; the farm then answers SMTP on the behaviours' address,
# wrote its CA, and stops on SIGTERM.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/tools/farm/smtp_farm" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
SCRIPT="$ROOT/tools/farm/run_farm"
[[ -x "$SCRIPT" ]] || SCRIPT=$(cd "$(dirname "$0")/../.." && pwd)/tools/farm/run_farm.sh
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/run_farm_test.XXXXXX")

cat >"$TMP/behaviours.json" <<'JSON'
{"127.78.0.1": {"behaviour": "valid", "names": ["mx.script.sim"]},
 "127.78.0.2": {"behaviour": "defer_421", "names": ["mx.busy.sim"]}}
JSON
mkdir -p "$TMP/state/mta-sts"
printf 'version: STSv1\nmode: none\nmax_age: 60\n' >"$TMP/state/mta-sts/script.sim"

PID=$(SMTP_FARM="$ROOT/tools/farm/smtp_farm" "$SCRIPT" "$TMP/behaviours.json" "$TMP/state")
trap 'kill $PID 2>/dev/null || true' EXIT
[[ $PID =~ ^[0-9]+$ ]] || { echo "not a pid: $PID"; exit 1; }
kill -0 "$PID"
grep -q "^pid $PID$" "$TMP/state/ready"
grep -q "BEGIN CERTIFICATE" "$TMP/state/ca.pem"
PORT=$(awk '$1 == "smtp_port" {print $2}' "$TMP/state/ready")
[[ $PORT -gt 0 ]]

banner() {
  exec 3<>"/dev/tcp/$1/$PORT"
  local line
  IFS= read -r -t 5 line <&3
  exec 3<&-
  printf '%s' "$line"
}
[[ $(banner 127.78.0.1) == "220 mx.script.sim ESMTP mxscan farm"$'\r' ]]
[[ $(banner 127.78.0.2) == 421* ]]
# An address the file does not name has no listener.
if (exec 3<>"/dev/tcp/127.78.0.3/$PORT") 2>/dev/null; then
  echo "127.78.0.3 accepted a connection"; exit 1
fi

# A bad behaviours file: the script reports the farm's error.
echo '{"127.78.0.9": {"behaviour": "nonsense"}}' >"$TMP/bad.json"
if SMTP_FARM="$ROOT/tools/farm/smtp_farm" "$SCRIPT" "$TMP/bad.json" "$TMP/bad" 2>"$TMP/err"; then
  echo "a bad behaviours file was accepted"; exit 1
fi
grep -q 'unknown SMTP behaviour "nonsense"' "$TMP/err"

kill "$PID"
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$PID" 2>/dev/null; then echo "the farm did not stop"; exit 1; fi
echo PASS
