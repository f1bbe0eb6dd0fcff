#!/usr/bin/env bash
# Coverage-guided fuzzing of the certificate judge and DANE matcher with
# libFuzzer, without Bazel (the counterpart of tests/fuzz/run_fuzzer.sh for
# this folder):
#
#   tests/fuzz/tls/run_fuzzer.sh SECONDS [LIBFUZZER_FLAG...]
#
# Compiles certificate_judge_fuzzer.cc, scanner/tls's judging sources and
# the test PKI factory with clang++ -fsanitize=fuzzer,address,undefined
# against BoringSSL (the schema is generated with protoc into the work
# directory), then fuzzes for SECONDS from corpus/ (read only; new inputs
# go to a scratch corpus under $FUZZ_WORK_DIR). A crash leaves its input in
# $FUZZ_WORK_DIR/certificate_judge/artifacts/: copy it to
# corpus/regression-<what> so that
# //tests/fuzz/tls:certificate_judge_fuzzer_corpus_test keeps checking it.
# Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
seconds=$1
shift

root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
here=tests/fuzz/tls
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/certificate_judge
mkdir -p "$work/corpus" "$work/artifacts" "$work/gen"

sources=(
  scanner/tls/{certificate_facts,certificate_judge,chain_verifier}.cc
  scanner/tls/{dane,digest,hostname_match,parsed_chain}.cc
  scanner/tls/{tlsa_match,trust_store,verdict_cache}.cc
  tools/certs/cert_factory.cc
)

protoc --proto_path=. --cpp_out="$work/gen" proto/mxscan.proto

# Abseil libraries in the dependency order of //tools/deps:absl.
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')
android=/usr/lib/x86_64-linux-gnu/android

binary=$work/certificate_judge_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# BoringSSL's headers first: OpenSSL 3's live in /usr/include/openssl.
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -isystem /usr/include/android -I. -I "$work/gen" \
  "$here/certificate_judge_fuzzer.cc" "${sources[@]}" \
  "$work/gen/proto/mxscan.pb.cc" \
  -o "$binary" \
  -L"$android" -Wl,-rpath,"$android" -lssl -lcrypto \
  -lprotobuf $absl_libs -lpthread

# shellcheck source=../libfuzzer_run.sh
source "$root/tests/fuzz/libfuzzer_run.sh"
run_libfuzzer "$binary" certificate_judge "$seconds" 8192 "$work" "" "$here/corpus" "$@"
