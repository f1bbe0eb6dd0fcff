#!/usr/bin/env bash
# `mxscan export` into SQLite from the command line: the scan id on stdout,
# summaries read back equal to the files', a second export skipped,
# --replace, usage and input errors with their exit codes, a corrupt result
# file, and a `kill -9` in the middle of a large export: no partial scan is
# visible afterwards and exporting again works.
#
# Run by hand after `bazel build //scanner:mxscan //tools/sim:gen_results
# //tests/export:export_check`: tests/export/export_cli_test.sh
set -euo pipefail

source "$(dirname "$0")/export_test_lib.sh"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/export_cli_test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
count() { "$CHECK" query "sqlite:$TMP/db" "$1"; }

echo "== export, summaries, skip, replace"
"$GEN" --out "$TMP/weekly" --records 500 --seed 4 >/dev/null
id=$("$MXSCAN" export "$TMP/weekly" --to "sqlite:$TMP/db" 2>"$TMP/err")
[[ $id == "weekly@2026-11-18T11:06:40Z" ]] || fail "derived scan id: $id"
grep -q "exported to sqlite:$TMP/db: 500 domains" "$TMP/err" || fail "$(cat "$TMP/err")"
"$CHECK" summaries "sqlite:$TMP/db" "$id" "$TMP/weekly"
same_stats "sqlite:$TMP/db" "$id" "$TMP/weekly"
again=$("$MXSCAN" export "$TMP/weekly" --to "sqlite:$TMP/db" 2>"$TMP/err")
[[ $again == "$id" ]] || fail "second export printed $again"
grep -q "already: skipped" "$TMP/err" || fail "no skip: $(cat "$TMP/err")"
"$MXSCAN" export "$TMP/weekly" --to "sqlite:$TMP/db" --replace 2>"$TMP/err" >/dev/null
grep -q "replaced in" "$TMP/err" || fail "no replace: $(cat "$TMP/err")"
[[ $(count "SELECT COUNT(*) FROM domains") == 500 ]] || fail "domains after replace"
[[ $(count "SELECT COUNT(*) FROM scans") == 1 ]] || fail "scans after replace"

echo "== usage and input errors"
status=0; "$MXSCAN" export "$TMP/weekly" 2>"$TMP/err" || status=$?
[[ $status == 2 ]] || fail "no --to: exit $status"
status=0; "$MXSCAN" export "$TMP/weekly" --to mysql://x 2>"$TMP/err" || status=$?
[[ $status == 2 ]] && grep -q 'unknown database "mysql://x"' "$TMP/err" || fail "bad url: $status $(cat "$TMP/err")"
status=0; "$MXSCAN" export "$TMP/nowhere" --to "sqlite:$TMP/db" 2>"$TMP/err" || status=$?
[[ $status == 1 ]] && grep -q "$TMP/nowhere" "$TMP/err" || fail "missing dir: $status $(cat "$TMP/err")"
status=0; "$MXSCAN" export "$TMP/weekly" --to "sqlite:$TMP/no/such/dir/db" 2>"$TMP/err" || status=$?
[[ $status == 1 ]] && grep -q "cannot open" "$TMP/err" || fail "unopenable db: $status $(cat "$TMP/err")"

echo "== a corrupt result file"
mkdir "$TMP/corrupt"
cp "$TMP"/weekly/*.pb "$TMP/corrupt/"
printf '\x05\xff\xff\xff\xff\xff' >"$TMP/corrupt/zz-broken.pb"
status=0; "$MXSCAN" export "$TMP/corrupt" --to "sqlite:$TMP/db" --scan-name corrupt 2>"$TMP/err" || status=$?
[[ $status == 1 ]] || fail "corrupt file: exit $status"
grep -q "zz-broken.pb: corrupt record" "$TMP/err" && grep -q 'nothing of scan "corrupt" was kept' "$TMP/err" ||
  fail "corrupt file message: $(cat "$TMP/err")"
[[ $(count "SELECT COUNT(*) FROM domains WHERE scan_id = 'corrupt'") == 0 ]] || fail "rows of a corrupt scan"

echo "== kill -9 in the middle of an export"
"$GEN" --out "$TMP/big" --records 60000 --seed 5 >/dev/null
hot_journal() { [[ -s $TMP/db-journal ]]; }
kill_midway "sqlite:$TMP/db" "$TMP/big" big : hot_journal
[[ $(count "SELECT COUNT(*) FROM domains WHERE scan_id <> 'big'") == 500 ]] || fail "the earlier scan changed"
echo "PASS"
