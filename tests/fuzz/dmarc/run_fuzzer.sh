#!/usr/bin/env bash
# Coverage-guided fuzzing of the DMARC record target with libFuzzer, without
# Bazel (the counterpart of tests/fuzz/run_fuzzer.sh for this folder):
#
#   tests/fuzz/dmarc/run_fuzzer.sh SECONDS [LIBFUZZER_FLAG...]
#
# Compiles dmarc_record_fuzzer.cc and the DMARC sources with clang++
# -fsanitize=fuzzer,address,undefined (the schema is generated with protoc
# into the work directory), then fuzzes for SECONDS from corpus/ (read only;
# new inputs go to a scratch corpus under $FUZZ_WORK_DIR) with
# dmarc_record.dict. A crash leaves its input in
# $FUZZ_WORK_DIR/dmarc_record/artifacts/: copy it to corpus/regression-<what>
# so that //tests/fuzz/dmarc:dmarc_record_fuzzer_corpus_test keeps checking
# it. Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi
seconds=$1
shift

root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
here=tests/fuzz/dmarc
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/dmarc_record
mkdir -p "$work/corpus" "$work/artifacts" "$work/gen"

protoc --proto_path=. --cpp_out="$work/gen" proto/mxscan.proto

# The Abseil libraries in the order //tools/deps:absl links them.
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')

binary=$work/dmarc_record_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. -I "$work/gen" \
  "$here/dmarc_record_fuzzer.cc" \
  scanner/checks/dmarc/{record,report_uri,result_fields,tree_walk}.cc \
  "$work/gen/proto/mxscan.pb.cc" \
  -o "$binary" -lprotobuf $absl_libs -lpthread

# shellcheck source=../libfuzzer_run.sh
source "$root/tests/fuzz/libfuzzer_run.sh"
run_libfuzzer "$binary" dmarc_record "$seconds" 4096 "$work" "$here/dmarc_record.dict" "$here/corpus" "$@"
