#!/usr/bin/env bash
# Coverage-guided fuzzing of the SPF target with libFuzzer, without Bazel
# (the counterpart of tests/fuzz/run_fuzzer.sh for this folder):
#
#   tests/fuzz/spf/run_fuzzer.sh SECONDS [LIBFUZZER_FLAG...]
#
# Compiles spf_record_fuzzer.cc, the SPF and DNS helper sources and the test
# fake with clang++ -fsanitize=fuzzer,address,undefined (the schema is
# generated with protoc into the work directory), then fuzzes for SECONDS
# from corpus/ (read only; new inputs go to a scratch corpus under
# $FUZZ_WORK_DIR) with spf_record.dict. A crash leaves its input in
# $FUZZ_WORK_DIR/spf_record/artifacts/: copy it to corpus/regression-<what>
# so that //tests/fuzz/spf:spf_record_fuzzer_corpus_test keeps checking it.
# Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi
seconds=$1
shift

root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
here=tests/fuzz/spf
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/spf_record
mkdir -p "$work/corpus" "$work/artifacts" "$work/gen"

sources=(
  scanner/checks/spf/{ip_address,domain_name,macro,record,txt_record}.cc
  scanner/checks/spf/{dns_answers,validated_names,host_addresses,check_host}.cc
  scanner/checks/spf/{answer_cache,policy_walk}.cc
  scanner/dns/{name,lookup,rr_type}.cc
  tests/testing/fake_dns_source.cc
)

protoc --proto_path=. --cpp_out="$work/gen" proto/mxscan.proto

# Abseil libraries in the dependency order of //tools/deps:absl.
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')

binary=$work/spf_record_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. -I "$work/gen" \
  "$here/spf_record_fuzzer.cc" "${sources[@]}" "$work/gen/proto/mxscan.pb.cc" \
  -o "$binary" -lprotobuf $absl_libs -lpthread

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "run_fuzzer.sh: fuzzing spf_record for ${seconds}s" >&2
status=0
"$binary" \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -max_len=4096 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  -dict="$here/spf_record.dict" \
  "$@" \
  "$work/corpus" "$here/corpus" || status=$?

shopt -s nullglob
crashes=("$work"/artifacts/*)
if [[ ${#crashes[@]} -gt 0 ]]; then
  echo "run_fuzzer.sh: inputs that crashed or timed out:" >&2
  for f in "${crashes[@]}"; do
    echo "  $f ($(stat -c %s "$f") bytes): $(od -An -tx1 -v "$f" | head -c 400 | tr -d ' \n')" >&2
  done
  echo "run_fuzzer.sh: reproduce with: $binary FILE" >&2
  [[ $status -eq 0 ]] && status=1
fi
exit "$status"
