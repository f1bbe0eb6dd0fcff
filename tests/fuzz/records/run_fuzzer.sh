#!/usr/bin/env bash
# Coverage-guided fuzzing of one record target with libFuzzer, without
# Bazel; the record-check counterpart of tests/fuzz/run_fuzzer.sh, same use:
#
#   tests/fuzz/records/run_fuzzer.sh NAME SECONDS [LIBFUZZER_FLAG...]
#   tests/fuzz/records/run_fuzzer.sh dkim_record 30
#
# NAME is one of mta_sts_record, mta_sts_policy, tls_rpt_record,
# bimi_record, dkim_record. Compiles tests/fuzz/records/NAME_fuzzer.cc and
# the check sources with clang++ -fsanitize=fuzzer,address,undefined (the
# schema is generated with protoc into the work directory), then fuzzes for
# SECONDS from corpus/NAME/ (read only; new inputs go to a scratch corpus
# under $FUZZ_WORK_DIR) with NAME.dict. A crash leaves its input in
# $FUZZ_WORK_DIR/NAME/artifacts/: copy it to corpus/NAME/regression-<what>
# so that //tests/fuzz/records:NAME_fuzzer_corpus_test keeps checking it.
# Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
name=$1
seconds=$2
shift 2

root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
here=tests/fuzz/records
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/$name
mkdir -p "$work/corpus" "$work/artifacts" "$work/gen"

utf8=scanner/checks/mta_sts/utf8.cc
case "$name" in
  mta_sts_record | mta_sts_policy)
    sources=(scanner/checks/mta_sts/{txt_fields,record,mx_pattern}.cc
             scanner/checks/mta_sts/{policy,result,utf8}.cc) ;;
  tls_rpt_record)
    sources=(scanner/checks/tls_rpt/{uri,record,result}.cc
             scanner/checks/mta_sts/txt_fields.cc "$utf8") ;;
  bimi_record)
    sources=(scanner/checks/bimi/{record,result}.cc
             scanner/checks/dkim/tag_list.cc scanner/checks/tls_rpt/uri.cc
             "$utf8") ;;
  dkim_record)
    sources=(scanner/checks/dkim/{tag_list,key_record,public_key,result}.cc
             "$utf8") ;;
  *)
    echo "run_fuzzer.sh: unknown target '$name'" >&2
    exit 2
    ;;
esac

protoc --proto_path=. --cpp_out="$work/gen" proto/mxscan.proto

# Link options as in //tools/deps: BoringSSL first, then protobuf and the
# Abseil libraries in dependency order. BoringSSL's headers must come
# before OpenSSL's (/usr/include/openssl).
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')
android=/usr/lib/x86_64-linux-gnu/android

binary=$work/${name}_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. -I "$work/gen" -isystem /usr/include/android \
  "$here/${name}_fuzzer.cc" "${sources[@]}" "$work/gen/proto/mxscan.pb.cc" \
  -o "$binary" \
  -L"$android" -Wl,-rpath,"$android" -lssl -lcrypto \
  -lprotobuf $absl_libs -lpthread

# shellcheck source=../libfuzzer_run.sh
source "$root/tests/fuzz/libfuzzer_run.sh"
run_libfuzzer "$binary" "$name" "$seconds" 8192 "$work" "$here/$name.dict" "$here/corpus/$name" "$@"
