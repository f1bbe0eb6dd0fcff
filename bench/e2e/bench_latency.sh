#!/usr/bin/env bash
# The simulated sector at real-internet latency (loopback only, bounded):
# the sector of bench_e2e.sh (tools/sim/gen_sector.py, DOMAINS domains; NSD
# and the project's SMTP+HTTPS farm), but every DNS query goes through
# tools/fakedns/latency_dns_proxy, which holds it for a log-normal delay
# (median 50 ms, p99 0.8 s, p99.9 2 s, capped at 10 s) or loses it (3%),
# and every SMTP greeting and reply of the farm comes after a log-normal
# delay (smtp_farm --reply-delay: median 200 ms, p99 6.6 s, p99.9 20 s,
# capped at 60 s). Both are deterministic per SEED. (`tc qdisc ... netem`
# in a network namespace would be more faithful, but this kernel has no
# netem, nor any classful qdisc: "Specified qdisc kind is unknown".)
# For each --concurrency in CONCURRENCIES, the same sector is scanned
# whole (fresh proxy and farms, same NSD) and the script reports: wall
# time, domains/s, domains in flight (peak and median over the scan, from
# the records' start and duration) and the time per domain (median, p90,
# p99), SMTP sessions established at once at the farms (`ss`, every
# second), DNS questions, queries sent and retries (from the scan's summary
# line: queries beyond one per question that went out; attempts timed out;
# late answers), what the proxy lost, timeouts in the records (status
# TIMEOUT, DNS timeouts, SMTP probes that timed out), peak RSS, client CPU
# per domain, the records against the truth (tools/sim/check_sector.py
# --smtp yes --accept-timeouts: a record may differ only where it reports a
# DNS or SMTP timeout; every other difference is counted and listed as
# unexplained), the CPU of the farms, the proxy and NSD, the machine's busy
# share and load average, and the kernel's loss counters. Then a table of
# all the runs.
#
#   bench/e2e/bench_latency.sh [DOMAINS=20000]
#
# Environment:
#   CONCURRENCIES ("2000 10000 50000"): the --concurrency of each run
#     (domains in flight over all scanner processes; at or above DOMAINS
#     the whole list is in flight at once)
#   SEED (3): the sector, the proxy's and the farms' draws
#   DNS_DELAY (50:1.2:10000): MEDIAN_MS:SIGMA:MAX_MS of each DNS query's
#     delay (latency_dns_proxy --delay; sigma of the logarithm)
#   DNS_LOSS (0.03): the share of UDP queries lost (latency_dns_proxy --loss)
#   SMTP_DELAY (200:1.5:60000): MEDIAN_MS:SIGMA:MAX_MS of each SMTP greeting
#     and reply (smtp_farm --reply-delay); HTTPS (MTA-STS) is not delayed
#   TIMEOUT_MS (2000), RETRIES (3), SMTP_TIMEOUT_MS (30000): the scan's
#     --timeout-ms (first DNS attempt; each retry doubles it, at most 4x),
#     --retries and --smtp-timeout-ms (mxscan's defaults)
#   PER_PROCESS (8000): the most domains in flight per scanner process; a
#     CONCURRENCY above it is split over ceil(CONCURRENCY/PER_PROCESS)
#     processes `--shard i/N --workers 1` (descriptors, below); at or
#     under it, one process with a worker per core
#   SCAN_FLAGS (more flags of `mxscan scan`, word-split: "--rate 4000"),
#   SCAN_LIMIT (1800 s: each scan is stopped after this),
#   SERVER_NICE (-10: the niceness of NSD, the proxy and the farms: they
#     stand for the Internet, which does not slow down when the scanner is
#     busy; at 0, a starved proxy drops bursts of queries in its socket
#     buffer, and the scan sees losses the network did not make),
#   FARMS (farm processes; default: as many as the descriptor limit needs
#     for the addresses and 2 sessions per domain in flight, at least 2),
#   NSD_SERVERS (1), NSD_BUFFER_BYTES (32 MiB), MXSCAN_BIN (another mxscan
#     binary to measure), KEEP=1 (keep the work dir).
#
# Descriptors: the soft limit is raised to the hard one (`ulimit -n`); the
# hard limit here is 20,000 per process and cannot be raised without
# CAP_SYS_RESOURCE. A scanner process needs one descriptor per SMTP session
# in flight (up to ~1.8 per domain in flight when every domain in flight
# is in its SMTP half) besides its DNS sockets and files: hence
# PER_PROCESS, and 50,000 domains in flight are 7 processes. The script
# says so when PER_PROCESS does not fit the hard limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOMAINS=${1:-20000}
CONCURRENCIES=${CONCURRENCIES:-2000 10000 50000}
SEED=${SEED:-3}
DNS_DELAY=${DNS_DELAY:-50:1.2:10000}
DNS_LOSS=${DNS_LOSS:-0.03}
SMTP_DELAY=${SMTP_DELAY:-200:1.5:60000}
TIMEOUT_MS=${TIMEOUT_MS:-2000}
RETRIES=${RETRIES:-3}
SMTP_TIMEOUT_MS=${SMTP_TIMEOUT_MS:-30000}
PER_PROCESS=${PER_PROCESS:-8000}
SCAN_FLAGS=${SCAN_FLAGS:-}
SCAN_LIMIT=${SCAN_LIMIT:-1800}
SERVER_NICE=${SERVER_NICE:--10}
NSD_SERVERS=${NSD_SERVERS:-1}
NSD_BUFFER_BYTES=${NSD_BUFFER_BYTES:-33554432}

tools/install_deps.sh >/dev/null
bazel build -c opt //scanner:mxscan //tools/farm:smtp_farm //tools/fakedns:latency_dns_proxy \
  2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)

HARD_LIMIT=$(ulimit -Hn)
ulimit -n "$HARD_LIMIT"
FD_LIMIT=$(ulimit -n)
if [[ $FD_LIMIT != unlimited ]] && (( PER_PROCESS * 2 + 1000 > FD_LIMIT )); then
  echo "# NOTE: the descriptor limit ($FD_LIMIT, hard) may not hold 2 sessions per domain for" \
       "PER_PROCESS=$PER_PROCESS domains in flight per scanner process: lower PER_PROCESS"
fi
[[ $FD_LIMIT == unlimited ]] && FD_LIMIT=1048576

WORK=$(mktemp -d /tmp/mxscan-bench-latency.XXXXXX)
mkdir "$WORK/bin"
cp "${MXSCAN_BIN:-$BIN/scanner/mxscan}" "$WORK/bin/mxscan"
cp "$BIN/tools/farm/smtp_farm" "$BIN/tools/fakedns/latency_dns_proxy" "$WORK/bin/"
MXSCAN=$WORK/bin/mxscan
export SMTP_FARM=$WORK/bin/smtp_farm
FARM_PIDS=()
PROXY_PID=""
SAMPLER_PID=""
SCAN_PIDS=()
stop_servers() {
  local p
  for p in $SAMPLER_PID $PROXY_PID "${FARM_PIDS[@]}" "${SCAN_PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in $PROXY_PID "${FARM_PIDS[@]}"; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  done
  SAMPLER_PID=""; PROXY_PID=""; FARM_PIDS=(); SCAN_PIDS=()
}
cleanup() {
  stop_servers
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

MEASURED="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- scanner tools/farm tools/fakedns || echo ' + uncommitted changes in scanner/, tools/farm/ or tools/fakedns/')"
[[ -n ${MXSCAN_BIN:-} ]] && MEASURED="mxscan $MXSCAN_BIN (servers: $MEASURED)"
echo "# $(date -u +%FT%TZ), $MEASURED, $(nproc) cores, descriptor limit $FD_LIMIT" \
     "(hard $HARD_LIMIT); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed "$SEED" --out "$WORK/sim" \
  --mta-sts-dir "$WORK/mta-sts" >"$WORK/gen.txt"
ADDRESSES=$(python3 bench/e2e/e2e_report.py count-addresses "$WORK/sim/addresses.json")
MAX_C=0
for c in $CONCURRENCIES; do ((c > MAX_C)) && MAX_C=$c; done
IN_FLIGHT=$((MAX_C < DOMAINS ? MAX_C : DOMAINS))
if [[ -z ${FARMS:-} ]]; then
  FARMS=2
  while (( (ADDRESSES + 2 * IN_FLIGHT) / FARMS + 200 > FD_LIMIT )); do FARMS=$((FARMS + 1)); done
fi
python3 bench/e2e/e2e_report.py split "$WORK/sim/addresses.json" "$WORK/farm" "$FARMS" 0 0 "$SEED"

mkdir -p "$WORK/nsd"
DNS_PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=300 NSD_SERVERS=$NSD_SERVERS NSD_BUFFER_BYTES=$NSD_BUFFER_BYTES \
  nice -n "$SERVER_NICE" tools/sim/nsd_server.sh start "$WORK/nsd" "$DNS_PORT" \
  --zones "$WORK/sim/zones.txt"
NSD_PID=$(cat "$WORK/nsd/nsd.pid")
echo "# sector: $(head -n 1 "$WORK/gen.txt"); NSD on 127.0.0.1:$DNS_PORT; $FARMS farm processes;" \
     "servers at niceness $SERVER_NICE"
echo "# latency: DNS delay $DNS_DELAY (median:sigma:max ms), loss $DNS_LOSS; SMTP greeting and" \
     "reply delay $SMTP_DELAY; scan: --timeout-ms $TIMEOUT_MS --retries $RETRIES" \
     "--smtp-timeout-ms $SMTP_TIMEOUT_MS $SCAN_FLAGS; at most $PER_PROCESS domains in flight per process"

proc_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
descendants() { local p; for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done; }
sum_ticks() { local s=0 p; for p in "$@"; do s=$((s + $(proc_ticks "$p"))); done; echo "$s"; }
mapfile -t NSD_PIDS < <(echo "$NSD_PID"; descendants "$NSD_PID")
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# UDP datagrams dropped so far (receive buffer full) by the sockets of this
# run's processes (command lines under WORK), summed per process name:
# "mxscan=N latency_dns_pro=N nsd:_server_1=N".
udp_drops() {
  ss -Huamnp | awk -v pids=",$(pgrep -d, -f "$WORK/")," '
    /users:/ {
      n = ""
      if (match($0, /users:\(\("[^"]+",pid=[0-9]+/)) {
        split(substr($0, RSTART + 9, RLENGTH - 9), a, "\",pid=")
        if (index(pids, "," a[2] ",")) { n = a[1]; gsub(/ /, "_", n) }
      }
    }
    /skmem/ && n != "" { match($0, /,d[0-9]+\)/); d[n] += substr($0, RSTART + 2, RLENGTH - 3) }
    END { for (k in d) printf "%s=%d ", k, d[k]; print "" }'
}

RUNS=()
for C in $CONCURRENCIES; do
  RUN=$WORK/run-$C
  mkdir -p "$RUN"
  SHARDS=$(( (C + PER_PROCESS - 1) / PER_PROCESS ))
  # The network: a fresh proxy (its draws count each question's attempts
  # from the start) and fresh farms (same for each address's connections).
  nice -n "$SERVER_NICE" "$WORK/bin/latency_dns_proxy" --upstream "127.0.0.1:$DNS_PORT" \
    --port-file "$RUN/proxy.port" --stats "$RUN/proxy.json" --seed "$SEED" \
    --delay "$DNS_DELAY" --loss "$DNS_LOSS" 2>"$RUN/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 1 100); do [[ -s $RUN/proxy.port ]] && break; sleep 0.05; done
  PROXY_PORT=$(cat "$RUN/proxy.port")
  SMTP_PORT=0
  : >"$RUN/ca.pem"
  for f in $(seq 0 $((FARMS - 1))); do
    listeners=$(python3 bench/e2e/e2e_report.py count-addresses "$WORK/farm/behaviours-$f.json")
    extra=()
    [[ $f == 0 ]] && extra=(--mta-sts "$WORK/mta-sts")
    pid=$(nice -n "$SERVER_NICE" tools/farm/run_farm.sh "$WORK/farm/behaviours-$f.json" \
          "$RUN/farm-$f" "$SMTP_PORT" 0 -- --timeout-ms 600000 \
          --max-connections $((FD_LIMIT - listeners - 64)) \
          --reply-delay "$SMTP_DELAY" --delay-seed "$((SEED * 1000 + f))" "${extra[@]}")
    FARM_PIDS+=("$pid")
    SMTP_PORT=$(awk '/^smtp_port/ {print $2}' "$RUN/farm-$f/ready")
    [[ $f == 0 ]] && HTTPS_PORT=$(awk '/^https_port/ {print $2}' "$RUN/farm-$f/ready")
    cat "$RUN/farm-$f/ca.pem" >>"$RUN/ca.pem"
  done

  # Every second: SMTP sessions established at the farms' end, load
  # average, UDP drops per process.
  (while sleep 1; do
     echo "$(date +%s.%N) $(ss -Htn state established "( sport = :$SMTP_PORT )" | wc -l) $(load1)" \
          "$(udp_drops)"
   done) >"$RUN/sessions.txt" &
  SAMPLER_PID=$!

  python3 bench/e2e/e2e_report.py counters "$RUN/counters-before.json"
  f0=$(sum_ticks "${FARM_PIDS[@]}"); p0=$(proc_ticks "$PROXY_PID")
  n0=$(sum_ticks "${NSD_PIDS[@]}"); b0=$(busy_ticks); l0=$(load1)
  t0=$(date +%s.%N)
  SCAN_PIDS=()
  for i in $(seq 0 $((SHARDS - 1))); do
    shard=()
    ((SHARDS > 1)) && shard=(--shard "$i/$SHARDS" --workers 1)
    # shellcheck disable=SC2086  # SCAN_FLAGS is word-split on purpose
    /usr/bin/time -f "%e %U %S %M" -o "$RUN/time-$i" \
      timeout -s INT "$SCAN_LIMIT" "$MXSCAN" scan \
        --input "$WORK/sim/domains.csv" --output "$RUN/out/$i" \
        --resolver "127.0.0.1:$PROXY_PORT" --psl-file "$WORK/sim/psl.dat" \
        --concurrency $(( (C + SHARDS - 1 - i) / SHARDS )) "${shard[@]}" --no-progress \
        --smtp-port "$SMTP_PORT" --https-port "$HTTPS_PORT" --ca-file "$RUN/ca.pem" \
        --timeout-ms "$TIMEOUT_MS" --retries "$RETRIES" --smtp-timeout-ms "$SMTP_TIMEOUT_MS" \
        $SCAN_FLAGS 2>"$RUN/scan-$i.log" &
    SCAN_PIDS+=($!)
  done
  status=0
  for p in "${SCAN_PIDS[@]}"; do wait "$p" || status=$?; done
  SCAN_PIDS=()
  t1=$(date +%s.%N)
  f1=$(sum_ticks "${FARM_PIDS[@]}"); p1=$(proc_ticks "$PROXY_PID")
  n1=$(sum_ticks "${NSD_PIDS[@]}"); b1=$(busy_ticks); l1=$(load1)
  python3 bench/e2e/e2e_report.py counters "$RUN/counters-after.json"
  printf 'farm %s\nproxy %s\nnsd %s\nbusy %s\nload0 %s\nload1 %s\n' \
    "$((f1 - f0))" "$((p1 - p0))" "$((n1 - n0))" "$((b1 - b0))" "$l0" "$l1" >"$RUN/ticks.txt"
  stop_servers  # the proxy writes its stats as it stops
  ((status == 0)) || echo "WARNING: a scan exited with status $status (stopped after $SCAN_LIMIT s?)"

  for i in $(seq 0 $((SHARDS - 1))); do "$MXSCAN" dump "$RUN/out/$i" --format jsonl; done \
    >"$RUN/results.jsonl"
  python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" --results "$RUN/results.jsonl" \
    --smtp yes --accept-timeouts >"$RUN/check.txt" || true
  note=""
  ((C >= DOMAINS)) && note=" (at or above DOMAINS: the whole list in flight at once)"
  echo
  python3 bench/e2e/latency_report.py run "$RUN" "$DOMAINS" "$C" "$SHARDS" "$t0" "$t1" \
    | sed "1s/\$/$note/"
  # Every unexplained difference (up to check_sector's 20), and what the
  # explained ones were.
  awk 'NR > 1 && /^differences explained/ {exit} NR > 1' "$RUN/check.txt" | head -n 40
  RUNS+=("$RUN")
done
echo
python3 bench/e2e/latency_report.py table "${RUNS[@]}"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
