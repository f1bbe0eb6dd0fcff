# Helpers of the `mxscan bench` end-to-end tests (sourced). The test sets
# MXSCAN (the binary), TMP (its working folder), SRC (the source tree:
# tests/e2e/check_bench_report.py) and defines fail().

# bench NAME EXPECTED_EXIT ARGS...: one `mxscan bench --format json` run,
# bounded to 60 s; the report in $TMP/NAME.json, stderr in $TMP/NAME.err.
bench() {
  local name=$1 want=$2 status=0
  shift 2
  timeout -s KILL 60 "$MXSCAN" bench --no-progress --format json "$@" \
    >"$TMP/$name.json" 2>"$TMP/$name.err" || status=$?
  [[ $status -eq $want ]] || fail "$name: exit $status, want $want: $(cat "$TMP/$name.err")"
}

# check NAME [PYTHON]: the run's report parses, its counts add up, and the
# assertions in PYTHON (over `d`, the report) hold.
check() {
  python3 "$SRC/tests/e2e/check_bench_report.py" "$1" "$TMP/$1.json" "${2:-}"
}
