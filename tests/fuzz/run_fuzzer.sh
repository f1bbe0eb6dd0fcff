#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with libFuzzer, without Bazel:
#
#   tests/fuzz/run_fuzzer.sh NAME SECONDS [LIBFUZZER_FLAG...]
#   tests/fuzz/run_fuzzer.sh dns_response 60
#   tests/fuzz/run_fuzzer.sh dns_response 600 -fork=2 -ignore_crashes=1
#
# Compiles tests/fuzz/NAME_fuzzer.cc and the scanner sources it needs with
# clang++ -fsanitize=fuzzer,address,undefined, then runs it for SECONDS
# on the checked-in corpus tests/fuzz/corpus/NAME/ (read only: new inputs
# go to a scratch corpus under $FUZZ_WORK_DIR). A crash leaves its input
# in $FUZZ_WORK_DIR/NAME/artifacts/; copy it into the corpus as
# "regression-<what>" so that //tests/fuzz:NAME_fuzzer_corpus_test keeps
# checking it. Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,15p' "$0" >&2
  exit 2
fi
name=$1
seconds=$2
shift 2

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/$name
mkdir -p "$work/corpus" "$work/artifacts"

case "$name" in
  dns_response)
    sources=(
      scanner/dns/answer_chain.cc
      scanner/dns/lookup.cc
      scanner/dns/message.cc
      scanner/dns/name.cc
      scanner/dns/rdata_text.cc
      scanner/dns/rr_type.cc
    )
    ;;
  *)
    echo "run_fuzzer.sh: unknown target '$name'" >&2
    exit 2
    ;;
esac

# Link options as in //tools/deps: BoringSSL before ldns (ldns's crypto
# references must bind to it; only ldns's wire-format code is used), and
# the Abseil libraries in dependency order.
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')
android=/usr/lib/x86_64-linux-gnu/android

binary=$work/${name}_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. -I bazel-bin \
  "tests/fuzz/${name}_fuzzer.cc" "${sources[@]}" \
  -o "$binary" \
  -L"$android" -Wl,-rpath,"$android" -lssl -lcrypto \
  -lldns \
  $absl_libs -lpthread

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

dict=()
if [[ -f "tests/fuzz/$name.dict" ]]; then
  dict=(-dict="tests/fuzz/$name.dict")
fi

echo "run_fuzzer.sh: fuzzing $name for ${seconds}s" >&2
status=0
"$binary" \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  "${dict[@]}" \
  "$@" \
  "$work/corpus" "tests/fuzz/corpus/$name" || status=$?

shopt -s nullglob
crashes=("$work"/artifacts/*)
if [[ ${#crashes[@]} -gt 0 ]]; then
  echo "run_fuzzer.sh: inputs that crashed or timed out:" >&2
  for f in "${crashes[@]}"; do
    echo "  $f ($(stat -c %s "$f") bytes): $(od -An -tx1 -v "$f" | tr -d ' \n')" >&2
  done
  echo "run_fuzzer.sh: reproduce with: $binary FILE" >&2
  [[ $status -eq 0 ]] && status=1
fi
exit "$status"
