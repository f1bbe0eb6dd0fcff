# Sourced by the run_fuzzer.sh scripts under tests/fuzz/: runs a libFuzzer
# binary they built and reports what it found.
#
#   run_libfuzzer BINARY NAME SECONDS MAX_LEN WORK DICT CORPUS [FLAG...]
#
# Fuzzes for SECONDS from CORPUS (read only; new inputs go to WORK/corpus)
# with the dictionary DICT ("" for none), inputs of at most MAX_LEN bytes.
# Inputs that crash or time out are left in WORK/artifacts/ and listed;
# returns non-zero when there are any (copy them into the corpus as
# regression-<what> so that the corpus test keeps checking them).
run_libfuzzer() {
  local binary=$1 name=$2 seconds=$3 max_len=$4 work=$5 dict=$6 corpus=$7
  shift 7
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  local dict_flag=()
  [[ -n "$dict" ]] && dict_flag=(-dict="$dict")
  echo "run_fuzzer.sh: fuzzing $name for ${seconds}s" >&2
  local status=0
  "$binary" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len="$max_len" \
    -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "${dict_flag[@]}" \
    "$@" \
    "$work/corpus" "$corpus" || status=$?
  shopt -s nullglob
  local crashes=("$work"/artifacts/*)
  if [[ ${#crashes[@]} -gt 0 ]]; then
    echo "run_fuzzer.sh: inputs that crashed or timed out:" >&2
    local f
    for f in "${crashes[@]}"; do
      echo "  $f ($(stat -c %s "$f") bytes): $(od -An -tx1 -v "$f" | head -c 400 | tr -d ' \n')" >&2
    done
    echo "run_fuzzer.sh: reproduce with: $binary FILE" >&2
    [[ $status -eq 0 ]] && status=1
  fi
  return "$status"
}
