#!/usr/bin/env bash
# Runs every mxscan test: installs what is missing, then
#  1. `bazel test //...`: unit tests, fuzz corpora, end-to-end tests
#     against a real NSD, Postfix, PostgreSQL, the farm and the project's
#     misbehaving DNS server, all on loopback;
#  2. the same under AddressSanitizer + UndefinedBehaviorSanitizer
#     (`--config=asan`, LeakSanitizer on), every test but those tagged
#     "no-asan";
#  3. every libFuzzer target for MXSCAN_FUZZ_SECONDS (default 10) seconds
#     (tests/fuzz/run_all_fuzzers.sh; clang, -O0 for a short build).
# One line "N passed, N failed" per step, with its time, and a last one
# for all three. MXSCAN_TEST_SKIP="asan fuzz" skips steps.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_passed=0
total_failed=0
overall=0
summary=()

# step NAME STATUS SECONDS: records a step's result line from $passed and
# $failed.
step() {
  local name=$1 status=$2 seconds=$3
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1  # the build itself failed
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [[ $status -ne 0 ]] && overall=$status
  summary+=("$name: $passed passed, $failed failed ($((seconds / 60))m$((seconds % 60))s)")
  echo "${summary[-1]}"
}

skip() { [[ " ${MXSCAN_TEST_SKIP:-} " == *" $1 "* ]]; }

# bazel_step NAME FLAG...: one `bazel test` step.
bazel_step() {
  local name=$1 start=$SECONDS status
  shift
  set +e
  bazel test --test_output=errors "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
  failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY)' "$log" || true)
  step "$name" "$status" $((SECONDS - start))
}

bazel_step "bazel test //..." //...
if ! skip asan; then
  bazel_step "bazel test --config=asan //..." --config=asan \
    --build_tests_only --test_tag_filters=-no-asan //...
fi

if ! skip fuzz; then
  start=$SECONDS
  set +e
  FUZZ_BUILD_FLAGS=--copt=-O0 \
    tests/fuzz/run_all_fuzzers.sh "${MXSCAN_FUZZ_SECONDS:-10}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  passed=$(grep -cE '^run_all_fuzzers.sh: [a-z0-9_]+: .* nothing found$' "$log" || true)
  failed=$(grep -cE '^run_all_fuzzers.sh: [a-z0-9_]+: FAILED' "$log" || true)
  step "libFuzzer, ${MXSCAN_FUZZ_SECONDS:-10}s per target" "$status" $((SECONDS - start))
fi

echo
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
exit "$overall"
