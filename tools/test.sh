#!/usr/bin/env bash
# Runs every mxscan test: installs what is missing, builds, runs `bazel
# test //...` (unit tests, fuzz corpora, end-to-end tests against a real NSD
# and the project's misbehaving DNS server, all on loopback) and ends with
# one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
bazel test --test_output=errors //... 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY)' "$log" || true)
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1  # the build itself failed
fi
echo "$passed passed, $failed failed"
exit "$status"
