#!/usr/bin/env bash
# The scanner's SMTP STARTTLS handshake benchmarks (loopback only, bounded):
#
# 1. Load: bench/tls/handshake_load drives COUNT probes through the
#    scanner's own probe (ProbeSmtp + judging, as `mxscan scan` does) on
#    one libuv loop per client process, keeping C sessions in flight (C =
#    1 as the memory baseline, then 1,000, 10,000 and 20,000), against the
#    SMTP farm
#    (tools/farm) on ADDRESSES loopback addresses 127.88.x.y, all "valid"
#    (TLS 1.3, RSA-2048 leaf, P-256 intermediate and root), each with its
#    own MX name and certificate. Reports handshakes/s, failures by stage,
#    client CPU per handshake (getrusage of the load process; the farm is
#    other processes), RSS per in-flight session ((VmHWM at C - VmHWM at
#    C=1) / C), the most client connections established at once (ss), the
#    farm's CPU per handshake and the CPU other processes took meanwhile.
#    With P client processes (the scanner's design: one loop per core),
#    each runs C/P sessions and COUNT/P probes on its own slice of the
#    addresses (every P-th one) and the figures are combined: handshakes/s
#    of all, CPU per handshake = the sum of their CPU / all handshakes, RSS
#    per session = the sum of their VmHWM deltas / C.
# 2. Crypto: bench/tls:handshake_crypto_benchmark (5 repetitions, medians):
#    the pure cryptographic cost of one such handshake, summed per
#    handshake with chain judging weighted by the load's verdict-cache
#    misses; the ratio of the client's CPU to it (target <= 1.5x).
# 3. Profile of a small run: callgrind (instructions, user space; perf
#    has no hardware counters here) and, when perf can sample the
#    software clock, a native profile including the kernel.
#
#   bench/tls/run_handshake_bench.sh [--processes P] [ADDRESSES=2500] [COUNT=60000]
#
# Environment: LEVELS (default "1000 10000 20000"), PROCESSES (client
# processes, default 1; --processes overrides), FARMS (farm processes,
# default 2), PROFILE=0 to skip the profiles, KEEP=1 to keep the work dir.
#
# Descriptors: every session is a socket, so C/P sessions need C/P + ~13
# descriptors in each load process, and a farm needs one per address plus
# one per connection. The script raises the hard limit to
# /proc/sys/fs/nr_open when it may (CAP_SYS_RESOURCE); when it may not, a
# level that one process cannot hold runs on as many client processes as
# it needs (and more farm processes), and says so.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROCESSES=${PROCESSES:-1}
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --processes) PROCESSES=$2; shift 2 ;;
    --processes=*) PROCESSES=${1#*=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
ADDRESSES=${args[0]:-2500}
COUNT=${args[1]:-60000}
LEVELS=${LEVELS:-"1000 10000 20000"}
FARMS=${FARMS:-2}
PROFILE=${PROFILE:-1}
BASELINE_COUNT=5000
DEADLINE_MS=300000   # per stage and per session: the farm signs ~1 ms each
DURATION_S=300       # no probe starts after this (per run)

tools/install_deps.sh >/dev/null
bazel build -c opt //bench/tls:handshake_load //bench/tls:handshake_crypto_benchmark \
  //tools/farm:smtp_farm 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
LOAD=$BIN/bench/tls/handshake_load
CRYPTO=$BIN/bench/tls/handshake_crypto_benchmark
export SMTP_FARM=$BIN/tools/farm/smtp_farm

# Descriptors.
nr_open=$(cat /proc/sys/fs/nr_open)
ulimit -Hn "$nr_open" 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
FD_LIMIT=$(ulimit -n)
MAX_C=$((FD_LIMIT - 20))

WORK=$(mktemp -d /tmp/mxscan-bench-tls.XXXXXX)
# Copies of the binaries: others may rebuild bazel-bin meanwhile.
mkdir "$WORK/bin"
cp "$LOAD" "$CRYPTO" "$SMTP_FARM" "$WORK/bin/"
LOAD=$WORK/bin/handshake_load
CRYPTO=$WORK/bin/handshake_crypto_benchmark
export SMTP_FARM=$WORK/bin/smtp_farm
FARM_PIDS=()
SAMPLER_PID=""
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  for p in "${FARM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Client processes per level: PROCESSES, or as many as the level needs
# for each to fit in the descriptor limit.
processes_for() {
  local c=$1 p=$PROCESSES
  while (( (c + p - 1) / p > MAX_C )); do p=$((p + 1)); done
  echo "$p"
}

# Enough farm processes that each fits in the descriptor limit with its
# share of the addresses and of the largest level.
top=0
for c in $LEVELS; do ((c > top)) && top=$c; done
while (( (ADDRESSES + top + FARMS - 1) / FARMS + 200 > FD_LIMIT )); do FARMS=$((FARMS + 1)); done

python3 - "$WORK" "$ADDRESSES" "$FARMS" <<'EOF'
import json, sys
work, n, farms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
parts = [dict() for _ in range(farms)]
with open(f"{work}/targets.txt", "w") as t, open(f"{work}/targets-100.txt", "w") as t100:
    for i in range(n):
        k = i + 1
        ip = f"127.88.{k // 256}.{k % 256}"
        name = f"mx{k}.bench.sim"
        parts[i % farms][ip] = {"behaviour": "valid", "names": [name]}
        t.write(f"{ip} {name}\n")
        if i < 100:
            t100.write(f"{ip} {name}\n")
for f, part in enumerate(parts):
    json.dump(part, open(f"{work}/behaviours-{f}.json", "w"))
EOF

# The farms: one port on every address, each farm its own share of them.
PORT=0
: >"$WORK/ca.pem"
for f in $(seq 0 $((FARMS - 1))); do
  per_farm=$(( (ADDRESSES + FARMS - 1) / FARMS ))
  pid=$(tools/farm/run_farm.sh "$WORK/behaviours-$f.json" "$WORK/farm$f" "$PORT" 0 -- \
        --timeout-ms 600000 --max-connections $((FD_LIMIT - per_farm - 64)))
  FARM_PIDS+=("$pid")
  PORT=$(awk '/^smtp_port/ {print $2}' "$WORK/farm$f/ready")
  cat "$WORK/farm$f/ca.pem" >>"$WORK/ca.pem"
done
echo "# $FARMS farm processes (pids ${FARM_PIDS[*]}), $ADDRESSES addresses 127.88.x.y, SMTP port $PORT;" \
     "descriptor limit $FD_LIMIT (nr_open $nr_open); $(nproc) cores"

# Other processes compete for the two cores: say how busy the machine is
# before starting (each run also reports what others took meanwhile).
cpu_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; }
before=$(cpu_ticks); sleep 3; after=$(cpu_ticks)
python3 -c '
import sys
b0, i0, b1, i1 = map(int, sys.argv[1:])
share = (b1 - b0) / max(1, (b1 - b0) + (i1 - i0))
print(f"# machine busy {100*share:.0f}% before the runs"
      + ("  WARNING: other processes are using the CPU; figures will be noisy" if share > 0.10 else ""))
' $before $after

farm_ticks() { local s=0; for p in "${FARM_PIDS[@]}"; do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$s"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# A small run first: the chain the farm sends (for the crypto benchmark)
# and a check that everything answers.
"$LOAD" --targets "$WORK/targets-100.txt" --port "$PORT" --ca_file "$WORK/ca.pem" \
  --concurrency 10 --count 200 --chain_out "$WORK/chain" >"$WORK/sanity.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["handshakes"]==200, d; print("# negotiated:", ", ".join(d["negotiated"]))' "$WORK/sanity.json"

run_level() {  # C COUNT TARGETS NAME [PROCESSES]
  local c=$1 n=$2 targets=$3 name=$4 procs=${5:-1}
  # Every 2 s: client connections established (to the farm's addresses
  # and port, all client processes), and the kernel's TCP buffer memory
  # (pages, both ends, not in any RSS).
  (while sleep 2; do
     echo "$(ss -Htn state established "( dst 127.88.0.0/16 and dport = :$PORT )" | wc -l)" \
          "$(awk '/^TCP:/ {print $NF}' /proc/net/sockstat)"
   done) >"$WORK/ss-$name" &
  SAMPLER_PID=$!
  local f0 b0 f1 b1 t0 t1 i pids=()
  f0=$(farm_ticks); b0=$(busy_ticks); t0=$(date +%s.%N)
  for i in $(seq 0 $((procs - 1))); do
    # Process i: every procs-th address from the i-th, its share of C and COUNT.
    awk -v p="$procs" -v i="$i" '(NR - 1) % p == i' "$targets" >"$WORK/targets-$name-$i.txt"
    "$LOAD" --targets "$WORK/targets-$name-$i.txt" --port "$PORT" --ca_file "$WORK/ca.pem" \
      --concurrency $(( (c + procs - 1 - i) / procs )) --count $(( (n + procs - 1 - i) / procs )) \
      --duration_s "$DURATION_S" --deadline_ms "$DEADLINE_MS" \
      >"$WORK/load-$name-$i.json" 2>"$WORK/load-$name-$i.log" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  f1=$(farm_ticks); b1=$(busy_ticks); t1=$(date +%s.%N)
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  python3 - "$WORK" "$name" "$procs" "$((f1 - f0))" "$((b1 - b0))" "$t0" "$t1" <<'EOF'
import json, os, sys
work, name, procs, farm_ticks, busy_ticks, t0, t1 = sys.argv[1:]
parts = [json.load(open(f"{work}/load-{name}-{i}.json")) for i in range(int(procs))]
# The processes combined: sums of counts and CPU, the longest wall time.
d = dict(parts[0])
for key in ["concurrency", "count", "targets", "started", "completed", "handshakes", "sessions_ok",
            "resumed", "left_in_flight", "max_in_flight", "cpu_user_s", "cpu_sys_s", "sampler_cpu_s",
            "verdict_hits", "verdict_misses", "trusted", "hostname_match", "voluntary_ctx_switches"]:
    if key in d:
        d[key] = sum(p[key] for p in parts)
d["processes"] = len(parts)
d["wall_s"] = max(p["wall_s"] for p in parts)
d["aborted"] = any(p["aborted"] for p in parts)
hs = max(d["handshakes"], 1)
d["handshakes_per_s"] = d["handshakes"] / d["wall_s"] if d["wall_s"] > 0 else 0
d["mid_handshakes_per_s"] = sum(p["mid_handshakes_per_s"] for p in parts)
d["cpu_us_per_handshake"] = (d["cpu_user_s"] + d["cpu_sys_s"]) / hs * 1e6
d["user_us_per_handshake"] = d["cpu_user_s"] / hs * 1e6
d["sys_us_per_handshake"] = d["cpu_sys_s"] / hs * 1e6
# Latency percentiles: the worst process's.
for key in ["latency_ms_p50", "latency_ms_p90", "latency_ms_p99", "latency_ms_max"]:
    d[key] = max(p[key] for p in parts)
# Memory per process, for the RSS per session (the sum of VmHWM deltas)
# and the live heap per session (the sum of the heap deltas).
d["vm_hwm_kib_per_process"] = [p["vm_hwm_kib"] for p in parts]
d["vm_hwm_kib"] = sum(d["vm_hwm_kib_per_process"])
d["heap_live_delta_kib"] = (sum(p["heap_max_full_kib"] - p["heap_before_kib"] for p in parts)
                            if all(p["heap_max_full_kib"] for p in parts) else 0)
d["negotiated"], d["failures"] = {}, {}
for p in parts:
    for k, v in p["negotiated"].items():
        d["negotiated"][k] = d["negotiated"].get(k, 0) + v
    for k, v in p["failures"].items():
        f = d["failures"].setdefault(k, {"count": 0, "example": v["example"]})
        f["count"] += v["count"]
hz = os.sysconf("SC_CLK_TCK")
wall = float(t1) - float(t0)
client = d["cpu_user_s"] + d["cpu_sys_s"]
farm = int(farm_ticks) / hz
busy = int(busy_ticks) / hz
samples = [l.split() for l in open(f"{work}/ss-{name}") if len(l.split()) == 2]
counts = [int(a) for a, _ in samples]
d["max_tcp_mem_kib"] = max((int(b) for _, b in samples), default=0) * os.sysconf("SC_PAGE_SIZE") // 1024
d["farm_cpu_s"] = farm
d["farm_us_per_handshake"] = farm / hs * 1e6
d["machine_busy_share"] = busy / (wall * os.cpu_count())
d["other_cpu_share"] = max(0.0, busy - client - farm) / (wall * os.cpu_count())
d["max_established"] = max(counts) if counts else 0
json.dump(d, open(f"{work}/load-{name}.json", "w"))
f = ", ".join(f"{k} x{v['count']} ({v['example']})" for k, v in d["failures"].items()) or "none"
print(f"C={d['concurrency']} ({d['processes']} client process{'es' if d['processes'] > 1 else ''}): "
      f"{d['handshakes']}/{d['count']} handshakes in {d['wall_s']:.1f} s "
      f"({d['handshakes_per_s']:.0f}/s, mid-run {d['mid_handshakes_per_s']:.0f}/s); "
      f"client {d['cpu_us_per_handshake']:.0f} us CPU/handshake (user {d['user_us_per_handshake']:.0f}, "
      f"sys {d['sys_us_per_handshake']:.0f}; the benchmark's own RSS/heap sampling, {d['sampler_cpu_s']*1e3:.0f} ms in all, excluded); farm {d['farm_us_per_handshake']:.0f} us/handshake; "
      f"VmHWM {' + '.join(str(v) for v in d['vm_hwm_kib_per_process'])} KiB; most established at once {d['max_established']}; "
      f"kernel TCP memory (both ends) up to {d['max_tcp_mem_kib']} KiB; "
      f"latency p50 {d['latency_ms_p50']} ms p99 {d['latency_ms_p99']} ms; "
      f"machine busy {100*d['machine_busy_share']:.0f}% (others {100*d['other_cpu_share']:.0f}%); failures: {f}")
EOF
}

echo
echo "# load: the scanner's probe, one loop per client process, COUNT=$COUNT probes per level, deadlines ${DEADLINE_MS} ms"
run_level 1 "$BASELINE_COUNT" "$WORK/targets.txt" base
NAMES=()
for c in $LEVELS; do
  procs=$(processes_for "$c")
  if ((procs > PROCESSES)); then
    echo "note: C=$c needs $c sockets + ~13 descriptors of each loop; the hard descriptor limit is" \
         "$FD_LIMIT (nr_open $nr_open; raising it needs CAP_SYS_RESOURCE): running $procs client" \
         "processes of C/$procs sessions each"
  fi
  run_level "$c" "$COUNT" "$WORK/targets.txt" "c$c" "$procs"
  NAMES+=("c$c")
done

echo
echo "# pure cryptographic cost of one handshake (5 repetitions, medians)"
MXSCAN_FARM_CHAIN_DIR=$WORK/chain MXSCAN_FARM_CA=$WORK/ca.pem "$CRYPTO" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$WORK/crypto.json" --benchmark_out_format=json 2>/dev/null |
  grep -E "_median|^Benchmark" || true

echo
python3 - "$WORK" "${NAMES[@]}" <<'EOF'
import json, sys
work, names = sys.argv[1], sys.argv[2:]
bench = {}
for b in json.load(open(f"{work}/crypto.json"))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    name = b["run_name"].split("/")[0]
    # Manual time (the in-memory client) is real_time; the rest is CPU.
    key = "real_time" if "manual_time" in b["run_name"] else "cpu_time"
    bench[name] = b[key] * unit
per_handshake = ["BM_ClientHelloRandom", "BM_X25519_KeyPair", "BM_X25519_SharedSecret",
                 "BM_RsaPss2048_VerifyCertificateVerify", "BM_Tls13KeySchedule",
                 "BM_Tls13Transcript", "BM_Aes128GcmSessionRecords", "BM_VerdictCacheHit"]
base = sum(bench[k] for k in per_handshake)
judge = bench.get("BM_JudgeFarmChain", bench["BM_JudgeCertificateChain"])
print("| crypto per handshake | us |")
print("| --- | --- |")
labels = {"BM_ClientHelloRandom": "ClientHello random + legacy session id (CSPRNG)",
          "BM_X25519_KeyPair": "X25519 key pair (key share)",
          "BM_X25519_SharedSecret": "X25519 shared secret",
          "BM_RsaPss2048_VerifyCertificateVerify": "RSA-2048 PSS CertificateVerify (leaf key parsed + verify)",
          "BM_Tls13KeySchedule": "TLS 1.3 key schedule (HKDF, Finished MACs)",
          "BM_Tls13Transcript": "SHA-256 transcript",
          "BM_Aes128GcmSessionRecords": "AES-128-GCM: 4 keys, every record of the session",
          "BM_VerdictCacheHit": "verdict cache lookup (SHA-256 of the chain)"}
for k in per_handshake:
    print(f"| {labels[k]} | {bench[k]:.1f} |")
print(f"| **sum, every probe** | **{base:.1f}** |")
print(f"| JudgeCertificateChain of the farm's chain (2 ECDSA P-256 verifications + X.509), once per distinct chain | {judge:.1f} |")
print(f"| (one ECDSA P-256 certificate signature) | {bench['BM_EcdsaP256_VerifyCertificateSignature']:.1f} |")
print(f"| (the scanner's TLS client, whole probe TLS in memory, no sockets) | {bench['BM_ScannerClientTlsInMemory']:.1f} |")
print()
rows = [json.load(open(f"{work}/load-{n}.json")) for n in ["base"] + names]
base_hwm = rows[0]["vm_hwm_kib"]
print("| in flight (C) | client processes | handshakes/s | client CPU/handshake (user+sys) | crypto/handshake | ratio (target <= 1.5x) | RSS/session (target <= 48 KiB) | live heap/session | most established at once | failures | farm CPU/handshake | other processes' CPU |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for d in rows:
    c = d["concurrency"]
    hs = max(d["handshakes"], 1)
    crypto = base + judge * d.get("verdict_misses", 0) / hs
    ratio = d["cpu_us_per_handshake"] / crypto
    if c == 1:
        rss = "baseline (VmHWM %d KiB)" % d["vm_hwm_kib"]
        heap = "-"
    else:
        # Each client process has its own baseline (the C=1 process's).
        rss = "%.1f KiB" % ((d["vm_hwm_kib"] - d["processes"] * base_hwm) / c)
        heap = "%.1f KiB" % (d["heap_live_delta_kib"] / c) if d["heap_live_delta_kib"] else "-"
    fails = sum(v["count"] for v in d["failures"].values())
    print(f"| {c:,} | {d['processes']} | {d['handshakes_per_s']:,.0f} | {d['cpu_us_per_handshake']:.0f} us ({d['user_us_per_handshake']:.0f}+{d['sys_us_per_handshake']:.0f}) "
          f"| {crypto:.0f} us | {ratio:.2f}x | {rss} | {heap} | {d['max_established']:,} | {fails} | {d['farm_us_per_handshake']:.0f} us "
          f"| {100*d['other_cpu_share']:.0f}% |")
print()
print("crypto/handshake = the per-probe sum + JudgeCertificateChain x (verdict-cache misses / handshakes) of that run.")
print("RSS/session = the sum over the client processes of (VmHWM - VmHWM of the C=1 run) / C; live heap/session = "
      "the sum of (malloc in use with all sessions in flight - before the run) / C.")
print(f"sizeof(TcpConnection) = {rows[-1]['tcp_connection_bytes']} bytes (reads go to one buffer per thread); the C=1 row judges every chain (verdict misses "
      f"{rows[0].get('verdict_misses', 0)}/{rows[0]['handshakes']}), the others {rows[-1].get('verdict_misses', 0)}/{rows[-1]['handshakes']}.")
print("other processes' CPU = machine busy time (/proc/stat) - client - farm, as a share of both cores.")
EOF

if [[ $PROFILE == 1 ]]; then
  echo
  echo "# profile 1: callgrind, C=50, 2,000 probes over 100 addresses (5% verdict misses), one loop"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$LOAD" \
    --targets "$WORK/targets-100.txt" --port "$PORT" --ca_file "$WORK/ca.pem" \
    --concurrency 50 --count 2000 >"$WORK/callgrind-run.json" 2>"$WORK/callgrind.log"
  callgrind_annotate --auto=no --inclusive=no --threshold=100 "$WORK/callgrind.out" >"$WORK/cg-self.txt" 2>/dev/null
  callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$WORK/callgrind.out" >"$WORK/cg-incl.txt" 2>/dev/null
  python3 - "$WORK" <<'EOF'
import re, sys
work = sys.argv[1]
line_re = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?)(?: \[(.*)\])?$")
def parse(path):
    out, total = [], 0
    for line in open(path):
        m = line_re.match(line)
        if not m:
            continue
        if "PROGRAM TOTALS" in line:
            total = int(m.group(1).replace(",", ""))
        else:
            out.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3) or ""))
    return out, total
self_cost, total = parse(f"{work}/cg-self.txt")
by_obj = {}
for c, _, obj in self_cost:
    key = obj.rsplit("/", 1)[-1] or "?"
    by_obj[key] = by_obj.get(key, 0) + c
print(f"{total:,} instructions; by object (self):", "; ".join(
    f"{k} {100*v/total:.1f}%" for k, v in sorted(by_obj.items(), key=lambda kv: -kv[1])[:8]))
incl, _ = parse(f"{work}/cg-incl.txt")
wanted = [("SSL_do_handshake", r"SSL_do_handshake"), ("X25519_keypair (key share)", r"X25519_keypair "),
          ("X25519 (shared secret)", r"\?\?\?:X25519 "),
          ("EVP_DigestVerify (CertificateVerify)", r"EVP_DigestVerify "),
          ("HKDF_expand", r"HKDF_expand "), ("SHA256_Update", r"SHA256_Update "),
          ("SSL_read (records after the handshake)", r"SSL_read "),
          ("ProbeRecordFrom (record + judging)", r"ProbeRecordFrom"),
          ("JudgeCertificateChain (misses only)", r"JudgeCertificateChain"),
          ("smtp::Session::OnBytes (SMTP)", r"Session::OnBytes"),
          ("FillSmtpProbe (protobuf record)", r"FillSmtpProbe"),
          ("malloc+free (self)", None)]
print("inclusive instructions of the main parts (share of all user-space instructions):")
for label, pattern in wanted:
    if pattern is None:
        c = sum(c for c, fn, obj in self_cost if re.search(r":(malloc|free|_int_malloc|_int_free|cfree|unlink_chunk.*|malloc_consolidate)$", fn))
    else:
        c = next((c for c, fn, obj in incl if re.search(pattern, fn + " ")), 0)
    print(f"  {label:45s} {100*c/total:5.1f}%")
print("top self entries:")
for c, fn, obj in sorted(self_cost, key=lambda x: -x[0])[:12]:
    print(f"  {100*c/total:5.1f}%  {fn[-70:]}  [{obj.rsplit('/', 1)[-1]}]")
EOF
  if perf record -e cpu-clock -o "$WORK/perf-probe.data" true >/dev/null 2>&1; then
    echo
    echo "# profile 2: perf record -e cpu-clock (native time, kernel included), C=1000, 20,000 probes"
    perf record -e cpu-clock -F 1999 -g -o "$WORK/perf.data" "$LOAD" \
      --targets "$WORK/targets.txt" --port "$PORT" --ca_file "$WORK/ca.pem" \
      --concurrency 1000 --count 20000 >"$WORK/perf-run.json" 2>"$WORK/perf.log"
    perf report -i "$WORK/perf.data" --no-children --sort dso -g none 2>/dev/null |
      grep -E "^ +[0-9.]+%" >"$WORK/perf-dso.txt" || true
    python3 - "$WORK" <<'EOF'
import json, sys
work = sys.argv[1]
d = json.load(open(f"{work}/perf-run.json"))
per = d["cpu_us_per_handshake"]
print(f"time by object (this run: {per:.0f} us CPU/handshake, {d['handshakes_per_s']:.0f}/s, under perf):")
for line in open(f"{work}/perf-dso.txt").readlines()[:8]:
    share, obj = line.split(None, 1)
    share = float(share.rstrip("%"))
    print(f"  {share:5.1f}%  ~{share * per / 100:5.0f} us/handshake  {obj.strip()}")
EOF
    echo "top symbols:"
    { perf report -i "$WORK/perf.data" --no-children --sort dso,sym -g none 2>/dev/null |
        grep -E "^ +[0-9.]+%" | head -25; } || true
  fi
fi
