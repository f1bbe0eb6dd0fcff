#!/usr/bin/env bash
# Where `mxscan dns` spends its CPU, in figures that hold on a machine
# shared with others (loopback only, bounded):
#
# 1. Instructions per lookup (callgrind): NAMES A lookups against a local
#    NSD, less a run of one name (start-up: loading, flags, threads), and
#    the functions they go to (self cost, callgrind_annotate).
# 2. System calls per lookup (strace -c -f over the same NAMES), and the
#    datagrams each sendmmsg/recvmmsg call carried. strace stops mxscan at
#    every call, which shrinks the batches: where perf can count the
#    syscall tracepoints (root, or perf_event_paranoid -1), the same
#    counts at full speed follow, with the context switches.
#
#   bench/dns/profile_dns.sh [NAMES=20000] [CONCURRENCY=1000]
#
# MXSCAN_BIN=PATH profiles another build (e.g. the one before a change).
# Both tools slow mxscan down many times, so batching under them is not
# what it is at full speed: compare builds with the same script, and take
# CPU time from bench_dns.sh. The profile stays in $PROFILE_DIR if set.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAMES=${1:-20000}
CONCURRENCY=${2:-1000}

tools/install_deps.sh
for tool in valgrind callgrind_annotate strace; do
  command -v "$tool" >/dev/null || { echo "profile_dns.sh: needs $tool" >&2; exit 2; }
done
if [[ -z "${MXSCAN_BIN:-}" ]]; then
  bazel build //scanner:mxscan 2>&1 | tail -n 1
fi
MXSCAN=${MXSCAN_BIN:-$(bazel info bazel-bin 2>/dev/null)/scanner/mxscan}

WORK=$(mktemp -d /tmp/mxscan-profile-dns.XXXXXX)
OUT=${PROFILE_DIR:-$WORK}
mkdir -p "$OUT"
cleanup() {
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 tools/sim/gen_dns_zone.py --names "$NAMES" --seed 5 --out "$WORK" >/dev/null
head -n 1 "$WORK/names-A.txt" >"$WORK/one-name.txt"
mkdir -p "$WORK/nsd"
PORT=$(python3 tools/sim/free_port.py)
tools/sim/nsd_server.sh start "$WORK/nsd" "$PORT" sim.test "$WORK/sim.test.zone"
DNS=(dns --type A --resolver "127.0.0.1:$PORT" --concurrency "$CONCURRENCY"
  --no-progress)

echo "# mxscan dns profile: $NAMES A lookups, $CONCURRENCY in flight, NSD 1 worker; load $(cut -d' ' -f1-3 /proc/loadavg)"
refs() { grep -o 'refs: *[0-9,]*' "$1" | tr -dc 0-9; }
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
  "$MXSCAN" "${DNS[@]}" --input "$WORK/names-A.txt" \
  --output "$WORK/out.jsonl" 2>"$WORK/callgrind.log"
python3 tools/sim/check_dns_results.py --truth "$WORK/truth-A.jsonl" \
  --results "$WORK/out.jsonl" >"$WORK/check" 2>&1 ||
  { cat "$WORK/check" >&2; exit 1; }
valgrind --tool=callgrind --callgrind-out-file="$WORK/one.out" \
  "$MXSCAN" "${DNS[@]}" --input "$WORK/one-name.txt" --output /dev/null \
  2>"$WORK/one.log"
all=$(refs "$WORK/callgrind.log"); one=$(refs "$WORK/one.log")
echo "instructions: $all in all, $one for one name: $(( (all - one) / (NAMES - 1) )) per lookup"
echo "top functions (self):"
callgrind_annotate --inclusive=no "$OUT/callgrind.out" >"$OUT/annotate.txt" \
  2>/dev/null
grep -E '^ *[0-9,]+ \( *[0-9.]+%\) ' "$OUT/annotate.txt" |
  grep -v 'PROGRAM TOTALS' | awk 'NR <= 25 {
    i = index($0, "%)  "); f = substr($0, i + 4)
    sub(/ \[[^]]*\]$/, "", f); gsub(/\(anonymous namespace\)/, "{anon}", f)
    sub(/^\?\?\?:|^[^:]*\.[chS]:/, "", f); sub(/\(.*/, "", f)
    print substr($0, 1, i + 1) "  " substr(f, 1, 110) }'

strace -c -f -o "$OUT/strace.txt" "$MXSCAN" "${DNS[@]}" \
  --input "$WORK/names-A.txt" --output /dev/null 2>"$WORK/strace.log"
echo "system calls per lookup (strace -c -f):"
awk -v n="$NAMES" '$1 ~ /^[0-9.]+$/ && $NF != "total" {
    errors = (NF == 6) ? $5 : 0
    printf "  %-14s %7d calls %6d failed  %.4f per lookup\n", $NF, $4, errors, $4 / n
  }' "$OUT/strace.txt" | sort -k2 -n -r | awk 'NR <= 8'
sent=$(grep -o '[0-9]* queries sent' "$WORK/strace.log" | cut -d' ' -f1)
awk -v sent="$sent" '$NF == "sendmmsg" { printf "  datagrams per sendmmsg: %.1f\n", sent / $4 }
  $NF == "recvmmsg" { ok = $4 - ((NF == 6) ? $5 : 0); if (ok > 0) printf "  datagrams per successful recvmmsg: %.1f (answers read / calls that read any)\n", sent / ok }' \
  "$OUT/strace.txt"

EVENTS=syscalls:sys_enter_sendmmsg,syscalls:sys_enter_recvmmsg,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_clock_nanosleep,context-switches
if command -v perf >/dev/null && perf stat -e "$EVENTS" true >/dev/null 2>&1; then
  perf stat -x, -o "$OUT/perf-stat.txt" -e "$EVENTS" "$MXSCAN" "${DNS[@]}" \
    --input "$WORK/names-A.txt" --output /dev/null 2>/dev/null
  echo "at full speed (perf stat; load $(cut -d' ' -f1 /proc/loadavg)):"
  awk -F, -v n="$NAMES" -v sent="$sent" '$1 ~ /^[0-9]+$/ {
      name = $3; sub(/^syscalls:sys_enter_/, "", name)
      printf "  %-16s %7d  %.4f per lookup", name, $1, $1 / n
      if (name == "sendmmsg" && $1 > 0) printf "  (%.1f datagrams a call)", sent / $1
      printf "\n"
    }' "$OUT/perf-stat.txt"
fi
