#!/usr/bin/env bash
# Coverage-guided fuzzing of every fuzz target with libFuzzer:
#
#   tests/fuzz/run_all_fuzzers.sh SECONDS [NAME...] [-- LIBFUZZER_FLAG...]
#   tests/fuzz/run_all_fuzzers.sh 10                # what tools/test.sh runs
#   tests/fuzz/run_all_fuzzers.sh 600               # ten minutes each
#   tests/fuzz/run_all_fuzzers.sh 3600 http_response -- -jobs=2 -workers=2
#
# Builds the <name>_fuzzer targets that mxscan_fuzzer() declares
# (tests/fuzz/fuzzer.bzl; all of them, or the NAMEs given) with clang and
# --config=libfuzzer (-fsanitize=fuzzer,address,undefined) in an output
# base of their own (the main one and its gcc outputs are left alone), then
# fuzzes each for SECONDS, $FUZZ_JOBS (default 2) at a time, from its
# checked-in corpus (read only; new inputs go to a scratch corpus under
# $FUZZ_WORK_DIR, kept between runs) with its dictionary.
# $FUZZ_BUILD_FLAGS are added to the build (tools/test.sh's short run
# builds with --copt=-O0: a third of the compile time, fewer inputs a
# second).
#
# A crash, leak, timeout or out-of-memory input is left in
# $FUZZ_WORK_DIR/NAME/artifacts/ and listed with its reproducer; copy it
# into the target's corpus as regression-<what> (with the fix) so that
# NAME_fuzzer_corpus_test keeps checking it. Exits non-zero when any target
# found one. One line per target tells how many inputs it ran.
set -euo pipefail

usage() {
  sed -n '2,24p' "$0" >&2
  exit 2
}
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
seconds=$1
shift
names=()
while [[ $# -gt 0 && $1 != -- ]]; do
  names+=("$1")
  shift
done
[[ $# -gt 0 ]] && shift
extra_flags=("$@")

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=${FUZZ_WORK_DIR:-${TMPDIR:-/tmp}/mxscan-fuzz}
jobs=${FUZZ_JOBS:-2}
# clang's output base, one per checkout.
output_base=${FUZZ_OUTPUT_BASE:-${XDG_CACHE_HOME:-$HOME/.cache}/mxscan-libfuzzer/$(printf %s "$root" | md5sum | cut -c1-12)}
mkdir -p "$work" "$output_base"

fuzz_bazel() {
  CC=clang CXX=clang++ bazel --output_base="$output_base" --max_idle_secs=300 "$@"
}

# Every libFuzzer target, or those named.
mapfile -t all < <(fuzz_bazel query --noshow_progress \
  'kind(cc_binary, attr(tags, "\blibfuzzer\b", //tests/fuzz/...))' 2>/dev/null)
targets=()
for t in "${all[@]}"; do
  name=${t##*:}
  name=${name%_fuzzer}
  if [[ ${#names[@]} -eq 0 || " ${names[*]} " == *" $name "* ]]; then
    targets+=("$t")
  fi
done
if [[ ${#targets[@]} -eq 0 || (${#names[@]} -gt 0 && ${#targets[@]} -ne ${#names[@]}) ]]; then
  echo "run_all_fuzzers.sh: no target for some of: ${names[*]:-(all)}; there are:" >&2
  printf '  %s\n' "${all[@]##*:}" >&2
  exit 2
fi

echo "run_all_fuzzers.sh: building ${#targets[@]} fuzzers with clang (output base $output_base)" >&2
flag_targets=("${targets[@]/%/_flags}")
# (No warnings: gold warns about every ASan symbol of clang's runtime.)
read -r -a build_flags <<<"${FUZZ_BUILD_FLAGS:-}"
fuzz_bazel build --config=libfuzzer "${build_flags[@]}" --noshow_progress \
  --output_filter='^$' "${targets[@]}" "${flag_targets[@]}"
bin=$(fuzz_bazel info --config=libfuzzer "${build_flags[@]}" bazel-bin 2>/dev/null)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# fuzz_one TARGET: fuzzes one target for $seconds, its output in
# $work/NAME/log; the status is libFuzzer's.
fuzz_one() {
  local target=$1
  local package=${target#//}
  package=${package%%:*}
  local name=${target##*:}
  name=${name%_fuzzer}
  local dir=$work/$name
  rm -rf "$dir/artifacts"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$bin/$package/${name}_fuzzer" "$dir/${name}_fuzzer"
  # The flags file: libFuzzer flags, then the checked-in corpus.
  local flags
  mapfile -t flags < "$bin/$package/${name}_fuzzer.flags"
  local corpus=${flags[-1]}
  unset 'flags[-1]'
  "$dir/${name}_fuzzer" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "${flags[@]}" "${extra_flags[@]}" \
    "$dir/corpus" "$corpus" > "$dir/log" 2>&1
}

# report NAME STATUS: one line, and what was found.
report() {
  local name=$1 status=$2
  local dir=$work/$name
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || true)
  shopt -s nullglob
  local found=("$dir"/artifacts/*)
  shopt -u nullglob
  if [[ $status -eq 0 && ${#found[@]} -eq 0 ]]; then
    echo "run_all_fuzzers.sh: $name: ${runs:-?} inputs in ${seconds}s, nothing found"
    return 0
  fi
  echo "run_all_fuzzers.sh: $name: FAILED (status $status) after ${runs:-?} inputs; the end of $dir/log:"
  grep -v '^#[0-9]' "$dir/log" | tail -n 40 | sed 's/^/    /'
  local f
  for f in "${found[@]}"; do
    echo "  found: $f ($(stat -c %s "$f") bytes): $(od -An -tx1 -v "$f" | tr -d ' \n' | head -c 400)"
    echo "  reproduce: $dir/${name}_fuzzer $f"
  done
  return 1
}

failed=0
pids=()
pid_name=()
# finish INDEX: waits for the INDEXth fuzzer started and reports it (they
# all run for $seconds, so in the order they started).
finish() {
  local i=$1 status=0
  wait "${pids[$i]}" || status=$?
  report "${pid_name[$i]}" "$status" || failed=1
}
next=0
for target in "${targets[@]}"; do
  if [[ $((${#pids[@]} - next)) -ge $jobs ]]; then
    finish "$next"
    next=$((next + 1))
  fi
  name=${target##*:}
  fuzz_one "$target" &
  pids+=($!)
  pid_name+=("${name%_fuzzer}")
done
while [[ $next -lt ${#pids[@]} ]]; do
  finish "$next"
  next=$((next + 1))
done

if [[ $failed -ne 0 ]]; then
  echo "run_all_fuzzers.sh: FAILED: copy each input found into its corpus as regression-<what>, with the fix" >&2
  exit 1
fi
echo "run_all_fuzzers.sh: ${#targets[@]} fuzzers, ${seconds}s each: nothing found"
