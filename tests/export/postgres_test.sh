#!/usr/bin/env bash
# `mxscan export` into a real PostgreSQL server (Debian's, started by
# tools/db/postgres_server.sh in a temporary directory and stopped on exit,
# also on failure): the database tests of database_test again, then the
# command line: summaries read back equal to the files', a server that
# refuses the connection, two exports of one scan at once, and a `kill -9`
# in the middle of a large export (the server rolls the transaction back;
# exporting again works).
#
# Run by hand after `bazel build //scanner:mxscan //tools/sim:gen_results
# //tests/export:export_check //tests/export:database_test`:
#   tests/export/postgres_test.sh
set -euo pipefail

source "$(dirname "$0")/export_test_lib.sh"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/postgres_test.XXXXXX")
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  "$ROOT/tools/db/postgres_server.sh" stop "$TMP/pg" || true
  if [[ $status -ne 0 && -f $TMP/pg/postgres.log ]]; then
    tail -n 20 "$TMP/pg/postgres.log"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

echo "== PostgreSQL server"
URL=$("$ROOT/tools/db/postgres_server.sh" start "$TMP/pg")
echo "$URL"
count() { "$CHECK" query "$URL" "$1"; }

echo "== database_test against PostgreSQL"
MXSCAN_TEST_POSTGRES_URL=$URL "$BIN/tests/export/database_test" \
  --gtest_filter='*postgresql*' --gtest_brief=1

echo "== a server that refuses the connection"
port=$(python3 "$ROOT/tools/sim/free_port.py")
status=0
"$MXSCAN" export "$TMP" --to "postgresql://mxscan@127.0.0.1:$port/mxscan" 2>"$TMP/err" || status=$?
[[ $status == 1 ]] && grep -q "cannot connect to postgresql://mxscan@127.0.0.1:$port/mxscan: .*refused" "$TMP/err" ||
  fail "refused connection: exit $status: $(cat "$TMP/err")"

echo "== export, summaries, two exports of one scan at once"
"$GEN" --out "$TMP/weekly" --records 2000 --seed 4 >/dev/null
id=$("$MXSCAN" export "$TMP/weekly" --to "$URL" 2>"$TMP/err")
grep -q "2000 domains" "$TMP/err" || fail "$(cat "$TMP/err")"
"$CHECK" summaries "$URL" "$id" "$TMP/weekly"
same_stats "$URL" "$id" "$TMP/weekly"
for i in 1 2; do
  "$MXSCAN" export "$TMP/weekly" --to "$URL" --scan-name twice >/dev/null 2>"$TMP/twice.$i" &
  PIDS+=($!)
done
for pid in "${PIDS[@]}"; do wait "$pid" || fail "a concurrent export failed: $(cat "$TMP"/twice.*)"; done
PIDS=()
cat "$TMP"/twice.* | grep -c "exported to" | grep -qx 1 || fail "not one export: $(cat "$TMP"/twice.*)"
cat "$TMP"/twice.* | grep -c "skipped" | grep -qx 1 || fail "not one skip: $(cat "$TMP"/twice.*)"
[[ $(count "SELECT COUNT(*) FROM domains WHERE scan_id = 'twice'") == 2000 ]] || fail "rows of 'twice'"

echo "== kill -9 in the middle of an export"
"$GEN" --out "$TMP/big" --records 60000 --seed 5 >/dev/null
transaction_open() {
  [[ $(count "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'mxscan' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()") -ge 1 ]]
}
# The server notices the dead client and rolls back: nothing is visible
# even before it has.
kill_midway "$URL" "$TMP/big" big transaction_open :
echo "PASS"
