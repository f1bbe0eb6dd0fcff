#!/usr/bin/env bash
# End-to-end benchmark (loopback only, bounded): a simulated sector of
# DOMAINS domains (tools/sim/gen_sector.py: DNS, SMTP and MTA-STS, ~39% of
# the domains on four shared providers' MX hosts) served by a real NSD and
# the project's SMTP+HTTPS farm, scanned whole by the opt build of
# `mxscan scan` with SMTP probes and MTA-STS policy fetches. Reports wall
# time, domains/s, DNS queries sent/s, SMTP probes and TLS handshakes per
# second, client CPU per domain, peak RSS, the records written (must equal
# the input), every record against the ground truth (check_sector.py
# --smtp yes), the CPU of the farm and of NSD, and the most SMTP sessions
# established at once (`ss`, sampled every second).
#
#   bench/e2e/bench_e2e.sh [DOMAINS=100000]
#
# Environment:
#   SEED (3), CONCURRENCY (2000: domains in flight over all scanner
#   processes), SHARDS (1: one `mxscan scan` with a worker per core; N: N
#   processes `--shard i/N --workers 1` run at once, each with
#   CONCURRENCY/N domains in flight), SMTP_TIMEOUT_MS (30000, the scan's
#   --smtp-timeout-ms; the truth assumes 1500 or more), FARMS (farm
#   processes; default: as many as the descriptor limit needs, at least 2),
#   SLOW_SHARE and SLOW_MS (0, 0: that share of the self-hosted MX
#   addresses that behave `valid` is turned into `slow_banner` greeting
#   after SLOW_MS; the truth is unchanged: a slow banner is scanned as a
#   valid server when SLOW_MS is well under --smtp-timeout-ms), SCAN_LIMIT
#   (1800 s: the scan is stopped after this), SCAN_FLAGS (more flags of
#   `mxscan scan`, word-split), SCAN_WRAPPER (a command the scans run
#   under, word-split: `strace -ff -e trace=epoll_wait -ttt -o FILE`),
#   PEER (1 when SHARDS=1: then the same
#   sector is scanned again with --no-smtp, the DNS half alone, as the
#   in-run peer the full scan's figures are compared with), NSD_SERVERS (1 NSD worker),
#   NSD_BUFFER_BYTES (32 MiB: NSD's socket buffers, for the bursts of
#   queries of thousands of domains starting at once), MXSCAN_BIN (an
#   mxscan binary to measure instead of this tree's opt build: another
#   commit's, for an A/B), HOGS (0: that many busy loops at normal
#   priority run beside the scans, bounded by SCAN_LIMIT: a machine
#   shared with other work, the same for both sides of an A/B), KEEP=1
#   (keep the work dir).
#
# Long sessions at once (the 20,000-session run of bench/README.md):
#   SHARDS=2 CONCURRENCY=14000 SLOW_SHARE=1 SLOW_MS=90000 SMTP_TIMEOUT_MS=150000 \
#     SCAN_FLAGS="--rate 4000 --timeout-ms 5000" bench/e2e/bench_e2e.sh 100000
#
# Descriptors: the hard limit per process is the container's (20,000
# here, not raisable without CAP_SYS_RESOURCE). A farm process needs one
# descriptor per address it serves (129,034 MX addresses at 100,000
# domains) plus one per connection, so the addresses are split over FARMS
# processes, each on its own addresses and the same SMTP port; farm 0 also
# serves the MTA-STS policies (HTTPS). A scanner process needs one per
# SMTP session in flight: past ~19,900 sessions, use SHARDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOMAINS=${1:-100000}
SEED=${SEED:-3}
CONCURRENCY=${CONCURRENCY:-2000}
SHARDS=${SHARDS:-1}
SMTP_TIMEOUT_MS=${SMTP_TIMEOUT_MS:-30000}
SLOW_SHARE=${SLOW_SHARE:-0}
SLOW_MS=${SLOW_MS:-0}
SCAN_LIMIT=${SCAN_LIMIT:-1800}
SCAN_FLAGS=${SCAN_FLAGS:-}
SCAN_WRAPPER=${SCAN_WRAPPER:-}
PEER=${PEER:-$((SHARDS == 1))}
NSD_SERVERS=${NSD_SERVERS:-1}
NSD_BUFFER_BYTES=${NSD_BUFFER_BYTES:-33554432}

tools/install_deps.sh >/dev/null
bazel build -c opt //scanner:mxscan //tools/farm:smtp_farm 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)

ulimit -n "$(ulimit -Hn)"
FD_LIMIT=$(ulimit -n)

WORK=$(mktemp -d /tmp/mxscan-bench-e2e.XXXXXX)
# Copies of the binaries: others may rebuild bazel-bin meanwhile.
mkdir "$WORK/bin"
cp "${MXSCAN_BIN:-$BIN/scanner/mxscan}" "$WORK/bin/mxscan"
cp "$BIN/tools/farm/smtp_farm" "$WORK/bin/"
MXSCAN=$WORK/bin/mxscan
export SMTP_FARM=$WORK/bin/smtp_farm
FARM_PIDS=()
HOG_PIDS=()
SAMPLER_PID=""
cleanup() {
  kill $SAMPLER_PID "${FARM_PIDS[@]}" "${HOG_PIDS[@]}" 2>/dev/null || true
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  [[ ${KEEP:-0} == 1 ]] && echo "work dir kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

MEASURED="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- scanner tools/farm || echo ' + uncommitted changes in scanner/ or tools/farm/')"
[[ -n ${MXSCAN_BIN:-} ]] && MEASURED="mxscan $MXSCAN_BIN (farm: $MEASURED)"
echo "# $(date -u +%FT%TZ), $MEASURED," \
     "$(nproc) cores, descriptor limit $FD_LIMIT; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed "$SEED" --out "$WORK/sim" \
  --mta-sts-dir "$WORK/mta-sts" >"$WORK/gen.txt"
ADDRESSES=$(python3 bench/e2e/e2e_report.py count-addresses "$WORK/sim/addresses.json")
if [[ -z ${FARMS:-} ]]; then
  # Each farm: its addresses + its share of 40,000 connections + 200 spare.
  FARMS=2
  while (( (ADDRESSES + 40000) / FARMS + 200 > FD_LIMIT )); do FARMS=$((FARMS + 1)); done
fi
python3 bench/e2e/e2e_report.py split "$WORK/sim/addresses.json" "$WORK/farm" "$FARMS" \
  "$SLOW_SHARE" "$SLOW_MS" "$SEED"

mkdir -p "$WORK/nsd"
DNS_PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=300 NSD_SERVERS=$NSD_SERVERS NSD_BUFFER_BYTES=$NSD_BUFFER_BYTES \
  tools/sim/nsd_server.sh start "$WORK/nsd" "$DNS_PORT" --zones "$WORK/sim/zones.txt"
NSD_PID=$(cat "$WORK/nsd/nsd.pid")

# The farms: each on its own addresses, all on one SMTP port; farm 0
# serves the policies. Connections live up to 10 minutes (the scan's
# timeouts end them first).
SMTP_PORT=0
: >"$WORK/ca.pem"
for f in $(seq 0 $((FARMS - 1))); do
  listeners=$(python3 bench/e2e/e2e_report.py count-addresses "$WORK/farm/behaviours-$f.json")
  extra=()
  [[ $f == 0 ]] && extra=(--mta-sts "$WORK/mta-sts")
  pid=$(tools/farm/run_farm.sh "$WORK/farm/behaviours-$f.json" "$WORK/farm/$f" "$SMTP_PORT" 0 -- \
        --timeout-ms 600000 --max-connections $((FD_LIMIT - listeners - 64)) "${extra[@]}")
  FARM_PIDS+=("$pid")
  SMTP_PORT=$(awk '/^smtp_port/ {print $2}' "$WORK/farm/$f/ready")
  [[ $f == 0 ]] && HTTPS_PORT=$(awk '/^https_port/ {print $2}' "$WORK/farm/$f/ready")
  cat "$WORK/farm/$f/ca.pem" >>"$WORK/ca.pem"
done
echo "# sector: $(head -n 1 "$WORK/gen.txt"); NSD $NSD_SERVERS worker(s) ($((NSD_BUFFER_BYTES >> 20)) MiB buffers) on 127.0.0.1:$DNS_PORT;" \
     "$FARMS farm processes, SMTP port $SMTP_PORT, HTTPS (MTA-STS) port $HTTPS_PORT"
python3 bench/e2e/e2e_report.py providers "$WORK/gen.txt"

# CPU ticks (user+sys) of the farms and of NSD (its main process and the
# server and xfrd processes it forked).
proc_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
descendants() { local p; for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done; }
sum_ticks() { local s=0 p; for p in "$@"; do s=$((s + $(proc_ticks "$p"))); done; echo "$s"; }
NSD_PIDS=("$NSD_PID" $(descendants "$NSD_PID"))
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# Every second: SMTP sessions established at the farms' end, and the
# kernel's TCP memory (pages).
(while sleep 1; do
   echo "$(date +%s.%N) $(ss -Htn state established "( sport = :$SMTP_PORT )" | wc -l)" \
        "$(awk '/^TCP:/ {print $NF}' /proc/net/sockstat)"
 done) >"$WORK/sessions.txt" &
SAMPLER_PID=$!

# One `mxscan scan` of the sector: NAME CONCURRENCY [FLAGS...]; results in
# WORK/out/NAME, its summary in WORK/scan-NAME.log, /usr/bin/time's wall,
# user, sys and peak RSS in WORK/time-NAME.
run_scan() {
  local name=$1 concurrency=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$name" \
    timeout -s INT "$SCAN_LIMIT" $SCAN_WRAPPER "$MXSCAN" scan \
      --input "$WORK/sim/domains.csv" --output "$WORK/out/$name" \
      --resolver "127.0.0.1:$DNS_PORT" --psl-file "$WORK/sim/psl.dat" \
      --concurrency "$concurrency" --no-progress "$@" $SCAN_FLAGS 2>"$WORK/scan-$name.log"
}

echo "# scan: $SHARDS process(es), --concurrency $CONCURRENCY in all, --smtp-timeout-ms $SMTP_TIMEOUT_MS," \
     "slow banners: share $SLOW_SHARE of the self-hosted valid addresses, ${SLOW_MS} ms; ${HOGS:-0} busy loop(s) beside"
for _ in $(seq 1 "${HOGS:-0}"); do
  timeout "$SCAN_LIMIT" sh -c 'while :; do :; done' &
  HOG_PIDS+=($!)
done
python3 bench/e2e/e2e_report.py counters "$WORK/counters-before.json"
f0=$(sum_ticks "${FARM_PIDS[@]}"); n0=$(sum_ticks "${NSD_PIDS[@]}"); b0=$(busy_ticks)
t0=$(date +%s.%N)
pids=()
for i in $(seq 0 $((SHARDS - 1))); do
  shard=()
  ((SHARDS > 1)) && shard=(--shard "$i/$SHARDS" --workers 1)
  run_scan "$i" $(( (CONCURRENCY + SHARDS - 1 - i) / SHARDS )) "${shard[@]}" \
    --smtp-port "$SMTP_PORT" --https-port "$HTTPS_PORT" --ca-file "$WORK/ca.pem" \
    --smtp-timeout-ms "$SMTP_TIMEOUT_MS" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
t1=$(date +%s.%N); f1=$(sum_ticks "${FARM_PIDS[@]}"); n1=$(sum_ticks "${NSD_PIDS[@]}"); b1=$(busy_ticks)
kill "${HOG_PIDS[@]}" 2>/dev/null || true; HOG_PIDS=()
python3 bench/e2e/e2e_report.py counters "$WORK/counters-after.json"
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
for i in $(seq 0 $((SHARDS - 1))); do tail -n 1 "$WORK/scan-$i.log"; done
((status == 0)) || echo "WARNING: a scan exited with status $status (stopped after $SCAN_LIMIT s?)"

# Farm totals (connections made), written when a farm stops.
for p in "${FARM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${FARM_PIDS[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
FARM_PIDS=()

for i in $(seq 0 $((SHARDS - 1))); do "$MXSCAN" dump "$WORK/out/$i" --format jsonl; done >"$WORK/results.jsonl"
python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" --results "$WORK/results.jsonl" \
  --smtp yes >"$WORK/check.txt" || true
python3 bench/e2e/e2e_report.py report "$WORK" "$SHARDS" "$DOMAINS" "$t0" "$t1" \
  "$((f1 - f0))" "$((n1 - n0))" "$((b1 - b0))"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $PEER == 1 ]]; then
  # The peer in the same run: the DNS half alone (--no-smtp) of the same
  # sector against the same NSD, the farms stopped.
  run_scan dns "$CONCURRENCY" --no-smtp || echo "WARNING: the --no-smtp scan failed"
  "$MXSCAN" dump "$WORK/out/dns" --format jsonl >"$WORK/results-dns.jsonl"
  python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" \
    --results "$WORK/results-dns.jsonl" --smtp no >"$WORK/check-dns.txt" || true
  python3 bench/e2e/e2e_report.py peer "$WORK"
  echo "# load average at the end of the peer: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
