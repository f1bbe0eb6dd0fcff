#!/usr/bin/env bash
# Coverage-guided fuzzing of the SMTP session target with libFuzzer,
# without Bazel (the counterpart of tests/fuzz/run_fuzzer.sh here):
#
#   tests/fuzz/smtp/run_fuzzer.sh SECONDS [LIBFUZZER_FLAG...]
#   tests/fuzz/smtp/run_fuzzer.sh 60
#   tests/fuzz/smtp/run_fuzzer.sh 600 -fork=2 -ignore_crashes=1
#
# Compiles smtp_session_fuzzer.cc and //scanner/smtp's sources with
# clang++ -fsanitize=fuzzer,address,undefined, then fuzzes for SECONDS from
# corpus/ (read only; new inputs go to a scratch corpus under
# $FUZZ_WORK_DIR) with smtp_session.dict. A crash leaves its input in
# $FUZZ_WORK_DIR/smtp_session/artifacts/: copy it to corpus/regression-<what>
# so that //tests/fuzz/smtp:smtp_session_fuzzer_corpus_test keeps checking
# it. Exits non-zero when the fuzzer found a crash.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
seconds=$1
shift

root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
here=tests/fuzz/smtp
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}/smtp_session
mkdir -p "$work/corpus" "$work/artifacts"

sources=(scanner/smtp/{reply_parser,ehlo_reply,session_result,session}.cc)

# Abseil libraries in the dependency order of //tools/deps:absl.
absl_libs=$(grep -o '"-labsl_[a-z_0-9]*"' tools/deps/BUILD.bazel | tr -d '"')

binary=$work/smtp_session_fuzzer
echo "run_fuzzer.sh: building $binary" >&2
# shellcheck disable=SC2086
clang++ -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. \
  "$here/smtp_session_fuzzer.cc" "${sources[@]}" \
  -o "$binary" $absl_libs -lpthread

# shellcheck source=../libfuzzer_run.sh
source "$root/tests/fuzz/libfuzzer_run.sh"
run_libfuzzer "$binary" smtp_session "$seconds" 16384 "$work" "$here/smtp_session.dict" "$here/corpus" "$@"
