#!/usr/bin/env bash
# The DNS engine's macro benchmarks (loopback only, bounded):
#
# 1. Throughput: NAMES A lookups (default 200,000; 5% NXDOMAIN, 10% CNAME
#    chains) against one local NSD, by dnsperf and by `mxscan dns` with the
#    same in-flight limit, ROUNDS rounds alternating; reports lookups/s of
#    each, the ratio, CPU (user+sys) per lookup and peak RSS of mxscan, and
#    checks that every name was answered correctly. And the floor, in the
#    same rounds: bench/dns:udp_floor_client sends the same queries over the
#    same batched, connected sockets and only matches the answers (no
#    parsing, no output): what the kernel alone charges per lookup here.
# 2. Memory: 50,000 lookups in flight at once against the misbehaving
#    server delaying every answer by 3 s; peak RSS per in-flight lookup
#    ((RSS at 50,000 in flight - RSS at 1,000) / 49,000).
#
#   bench/dns/bench_dns.sh [NAMES] [CONCURRENCY] [ROUNDS]
#
# MXSCAN_BIN=PATH measures another build of mxscan (e.g. the commit before
# a change, for an A/B in the same conditions). BASELINE_BIN=PATH also runs
# that build in every round, right after MXSCAN_BIN's: an A/B in one run,
# which a machine shared with others needs (CPU per lookup moves with the
# load, printed with each round). The opt build leaves the bazel-bin
# symlinks alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
NAMES=${1:-200000}
CONCURRENCY=${2:-1000}
ROUNDS=${3:-3}

tools/install_deps.sh
TARGETS=(//tools/fakedns:misbehaving_dns_server //bench/dns:udp_floor_client)
[[ -z "${MXSCAN_BIN:-}" ]] && TARGETS+=(//scanner:mxscan)
bazel build -c opt --experimental_convenience_symlinks=ignore "${TARGETS[@]}" 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
MXSCAN=${MXSCAN_BIN:-$BIN/scanner/mxscan}
BASELINE=${BASELINE_BIN:-}
FAKEDNS=$BIN/tools/fakedns/misbehaving_dns_server
FLOOR=$BIN/bench/dns/udp_floor_client

WORK=$(mktemp -d /tmp/mxscan-bench-dns.XXXXXX)
cleanup() {
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  [[ -n "${FAKE_PID:-}" ]] && kill "$FAKE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 tools/sim/gen_dns_zone.py --names "$NAMES" --seed 5 --out "$WORK" >/dev/null
mkdir -p "$WORK/nsd"
PORT=$(python3 tools/sim/free_port.py)
tools/sim/nsd_server.sh start "$WORK/nsd" "$PORT" sim.test "$WORK/sim.test.zone"

echo "# mxscan dns vs dnsperf: $NAMES A lookups, $CONCURRENCY in flight, NSD 1 worker, $(nproc) cores"
declare -a D_QPS M_QPS M_CPU M_RSS B_QPS B_CPU F_CPU
# Runs one build of mxscan over the names and checks every answer; sets
# QPS, CPU (us of user+sys per lookup), RSS (KiB) and LINE.
run_mxscan() {
  local bin=$1 wall user sys
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$bin" dns --type A \
    --resolver "127.0.0.1:$PORT" --concurrency "$CONCURRENCY" --no-progress \
    --input "$WORK/names-A.txt" --output "$WORK/out.jsonl" 2>"$WORK/log"
  python3 tools/sim/check_dns_results.py --truth "$WORK/truth-A.jsonl" \
    --results "$WORK/out.jsonl" >"$WORK/check" || { cat "$WORK/check"; exit 1; }
  read -r wall user sys RSS <"$WORK/time"
  QPS=$(python3 -c "print(round($NAMES/$wall, 1))")
  CPU=$(python3 -c "print(round(($user+$sys)/$NAMES*1e6, 2))")
  LINE="$QPS/s, $CPU us CPU/lookup (user $user s, sys $sys s), peak RSS $RSS KiB; $(head -c 80 "$WORK/check")"
}
for round in $(seq "$ROUNDS"); do
  d=$(bench/dns/dnsperf_baseline.sh "$WORK" "$PORT" "$CONCURRENCY" 2>/dev/null)
  D_QPS+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["qps"])' "$d")")
  run_mxscan "$MXSCAN"
  M_QPS+=("$QPS"); M_CPU+=("$CPU"); M_RSS+=("$RSS")
  echo "round $round (load $(cut -d' ' -f1 /proc/loadavg)): dnsperf ${D_QPS[-1]}/s; mxscan $LINE"
  f=$("$FLOOR" --resolver "127.0.0.1:$PORT" --input "$WORK/names-A.txt" \
    --concurrency "$CONCURRENCY")
  F_CPU+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["cpu_us_per_lookup"])' "$f")")
  echo "round $round (load $(cut -d' ' -f1 /proc/loadavg)): floor (udp_floor_client) $f"
  if [[ -n "$BASELINE" ]]; then
    run_mxscan "$BASELINE"
    B_QPS+=("$QPS"); B_CPU+=("$CPU")
    echo "round $round (load $(cut -d' ' -f1 /proc/loadavg)): baseline $LINE"
  fi
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
dq=$(median "${D_QPS[@]}"); mq=$(median "${M_QPS[@]}"); mc=$(median "${M_CPU[@]}")
echo "median: dnsperf $dq lookups/s; mxscan $mq lookups/s; ratio $(python3 -c "print(round($mq/$dq, 3))")x; mxscan CPU $mc us/lookup (min $(printf '%s\n' "${M_CPU[@]}" | sort -g | head -n 1)); peak RSS $(median "${M_RSS[@]}") KiB"
fc=$(median "${F_CPU[@]}")
echo "median: floor (kernel alone, udp_floor_client) $fc us/lookup (min $(printf '%s\n' "${F_CPU[@]}" | sort -g | head -n 1)); mxscan / floor $(python3 -c "print(round($mc/$fc, 2))")x"
if [[ -n "$BASELINE" ]]; then
  echo "median: baseline $(median "${B_QPS[@]}") lookups/s; CPU $(median "${B_CPU[@]}") us/lookup (min $(printf '%s\n' "${B_CPU[@]}" | sort -g | head -n 1))"
fi

echo
echo "# in-flight memory: 50,000 lookups held 3 s by a delaying server"
"$FAKEDNS" --port 0 --delay-ms 3000 --port-file "$WORK/fake-port" 2>/dev/null &
FAKE_PID=$!
for _ in $(seq 200); do [[ -s "$WORK/fake-port" ]] && break; sleep 0.05; done
FPORT=$(cat "$WORK/fake-port")
seq 1 50000 | sed 's/^/ok-/; s/$/.delay.test/' >"$WORK/delay-names.txt"
head -n 1000 "$WORK/delay-names.txt" >"$WORK/delay-names-1000.txt"
for c in 1000 50000; do
  names="$WORK/delay-names.txt"
  [[ $c -eq 1000 ]] && names="$WORK/delay-names-1000.txt"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$c" "$MXSCAN" dns --type A \
    --resolver "127.0.0.1:$FPORT" --concurrency "$c" --timeout-ms 10000 \
    --no-progress --input "$names" --output /dev/null 2>"$WORK/log-$c"
  read -r wall user sys rss <"$WORK/time-$c"
  echo "concurrency $c: wall $wall s, peak RSS $rss KiB, $(grep -o '[0-9]* NOERROR' "$WORK/log-$c")"
done
r1=$(awk '{print $4}' "$WORK/time-1000"); r50=$(awk '{print $4}' "$WORK/time-50000")
read -r _ u50 s50 _ <"$WORK/time-50000"
echo "RSS per in-flight lookup: $(python3 -c "print(round(($r50-$r1)*1024/49000))") bytes; CPU $(python3 -c "print(round(($u50+$s50)/50000*1e6, 2))") us/lookup at 50,000 in flight"
