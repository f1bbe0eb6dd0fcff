# Sourced by the export tests' scripts. Sets ROOT (the source files: runfiles
# under Bazel, else the checkout), BIN (the built binaries: runfiles, else
# bazel-bin), MXSCAN, GEN (tools/sim/gen_results) and CHECK (export_check).

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT
[[ -x "$BIN/scanner/mxscan" ]] || BIN=$CHECKOUT/bazel-bin
[[ -f "$ROOT/tests/export/export_test_lib.sh" ]] || ROOT=$CHECKOUT
MXSCAN=$BIN/scanner/mxscan
GEN=$BIN/tools/sim/gen_results
CHECK=$BIN/tests/export/export_check

fail() { echo "FAIL: $*"; exit 1; }

# kill_midway URL DIR SCAN BEFORE_KILL AFTER_KILL: exports DIR as scan SCAN
# into URL and kills the export with -9 after 1 s (failing if it has
# finished by then); BEFORE_KILL and AFTER_KILL (commands that succeed, or
# ":") prove it was writing. Then nothing of SCAN may be visible, and
# exporting it again must give every domain, with the files' summaries.
kill_midway() {
  local url=$1 dir=$2 scan=$3 before=$4 after=$5 pid domains
  "$MXSCAN" export "$dir" --to "$url" --scan-name "$scan" >/dev/null 2>&1 &
  pid=$!
  sleep 1
  kill -0 "$pid" 2>/dev/null || fail "the export finished within 1 s: make it bigger"
  if ! $before; then
    kill -9 "$pid"
    fail "$before: the export was not writing"
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  $after || fail "$after: the export had not started writing"
  [[ $("$CHECK" query "$url" "SELECT COUNT(*) FROM scans WHERE scan_id = '$scan'") == 0 ]] ||
    fail "a partial scan is visible"
  [[ $("$CHECK" query "$url" "SELECT COUNT(*) FROM domains WHERE scan_id = '$scan'") == 0 ]] ||
    fail "partial rows are visible"
  "$MXSCAN" export "$dir" --to "$url" --scan-name "$scan" 2>"$TMP/err" >/dev/null ||
    fail "export after the kill: $(cat "$TMP/err")"
  cat "$TMP/err"
  domains=$(sed -n 's/.*: \([0-9]*\) domains,.*/\1/p' "$TMP/err")
  [[ $("$CHECK" query "$url" "SELECT domain_count FROM scans WHERE scan_id = '$scan'") == "$domains" ]] ||
    fail "scan $scan incomplete"
  "$CHECK" summaries "$url" "$scan" "$dir"
}

# same_stats URL SCAN_ID DIR: `mxscan stats --from` the database gives the
# figures `mxscan stats` gives from the scan's result files, in every
# format.
same_stats() {
  local url=$1 scan=$2 dir=$3 format
  for format in json md csv html; do
    "$MXSCAN" stats "$dir" --format "$format" >"$TMP/stats-files.$format"
    "$MXSCAN" stats --from "$url" --scan-id "$scan" --format "$format" \
      >"$TMP/stats-db.$format" 2>"$TMP/err" || fail "stats --from $url: $(cat "$TMP/err")"
    cmp -s "$TMP/stats-files.$format" "$TMP/stats-db.$format" ||
      fail "stats --from $url differ from stats $dir ($format)"
  done
  echo "stats --from $url = stats of the result files (json, md, csv, html)"
}
