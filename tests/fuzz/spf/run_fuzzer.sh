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

# shellcheck source=../libfuzzer_run.sh
source "$root/tests/fuzz/libfuzzer_run.sh"
run_libfuzzer "$binary" spf_record "$seconds" 4096 "$work" "$here/spf_record.dict" "$here/corpus" "$@"
