#!/usr/bin/env bash
# Memory at a million (loopback only, bounded): DNS-only scans
# (`mxscan scan --no-smtp`) of growing inputs against one NSD, to show that
# the scanner's memory does not grow with the input: everything it keeps
# per domain in flight is freed when the domain's record is written, the
# caches are bounded, and what it keeps per finished domain (the set of
# domains seen, 16 bytes each, which also holds the resume point) is
# measured apart.
#
#   bench/scan/bench_memory.sh
#
# Environment: SIZES ("100000 300000 1000000": the inputs scanned, each a
# prefix of the largest), REAL (50000: how many of them are a simulated
# sector from tools/sim/gen_sector.py, checked against its truth; the rest
# are names of a generated zone `bulk.sim`, each with an MX at a shared
# provider, an SPF record including the provider's, and for half a DMARC
# record: the per-domain questions of a real domain, without a generator
# that holds a million domains in memory), CONCURRENCY (2000), MXSCAN_BIN
# (a binary to measure instead of this tree's opt build), KEEP=1 (keep the
# work dir).
#
# For each size: wall time, domains/s, client CPU per domain, DNS
# questions per domain, records written, peak RSS, and the RSS sampled
# every second at a quarter, half and three quarters of the run (flat
# means the middle of a run holds no more than its start), plus the
# machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${SIZES:-"100000 300000 1000000"}
REAL=${REAL:-50000}
CONCURRENCY=${CONCURRENCY:-2000}

tools/install_deps.sh
if [[ -n "${MXSCAN_BIN:-}" ]]; then
  MXSCAN=$MXSCAN_BIN
else
  bazel build -c opt //scanner:mxscan 2>&1 | tail -n 1
  MXSCAN=$(bazel info -c opt bazel-bin 2>/dev/null)/scanner/mxscan
fi
largest=0
for n in $SIZES; do ((n > largest)) && largest=$n; done

WORK=$(mktemp -d /tmp/mxscan-bench-memory.XXXXXX)
cleanup() {
  tools/sim/nsd_server.sh stop "$WORK/nsd" >/dev/null 2>&1 || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

python3 tools/sim/gen_sector.py --domains "$REAL" --seed 3 --out "$WORK/sim" >/dev/null
# The bulk zone and the whole input, streamed (no list in memory).
python3 - "$WORK/sim" "$REAL" "$largest" <<'PY'
import random, sys
sim, real, largest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bulk = max(0, largest - real)
with open(f"{sim}/bulk.sim.zone", "w") as z:
    z.write("$TTL 3600\nbulk.sim. IN SOA ns1.sim. hostmaster.sim. 1 3600 900 604800 3600\n"
            "bulk.sim. IN NS ns1.sim.\n")
    for i in range(bulk):
        d = f"d{i}.bulk.sim."
        z.write(f"{d} IN MX 10 aspmx.bigmail.provider.sim.\n"
                f"{d} IN TXT \"v=spf1 include:_spf.bigmail.provider.sim -all\"\n")
        if i % 2 == 0:
            z.write(f"_dmarc.{d} IN TXT \"v=DMARC1; p=none; rua=mailto:r@{d[:-1]}\"\n")
with open(f"{sim}/zones.txt", "a") as zones:
    zones.write("bulk.sim bulk.sim.zone\n")
# Real and bulk domains interleaved, the same order for every size.
real_lines = open(f"{sim}/domains.csv").read().splitlines()
header, real_lines = real_lines[0], real_lines[1:]
rng = random.Random(7)
step = max(1, largest // max(1, len(real_lines)))
with open(f"{sim}/input.csv", "w") as out:
    out.write(header + "\n")
    r = b = 0
    for k in range(largest):
        if r < len(real_lines) and (k % step == 0 or b >= bulk):
            out.write(real_lines[r] + "\n"); r += 1
        else:
            out.write(f"d{b}.bulk.sim,bulk,Bulk {b}\n"); b += 1
PY
mkdir -p "$WORK/nsd"
PORT=$(python3 tools/sim/free_port.py)
NSD_WAIT_SECONDS=600 tools/sim/nsd_server.sh start "$WORK/nsd" "$PORT" \
  --zones "$WORK/sim/zones.txt" >/dev/null

echo "# mxscan scan --no-smtp: inputs of $SIZES domains ($REAL of them a simulated sector), $CONCURRENCY in flight, NSD 1 worker, $(nproc) cores"
printf '%-9s %8s %9s %10s %10s %9s %10s %30s %s\n' domains "wall s" domains/s \
  "CPU us/dom" "questions" records "peak MiB" "RSS MiB at 1/4, 1/2, 3/4" "load"
for n in $SIZES; do
  head -n $((n + 1)) "$WORK/sim/input.csv" >"$WORK/input-$n.csv"
  rm -rf "$WORK/out-$n"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$n" "$MXSCAN" scan \
    --input "$WORK/input-$n.csv" --output "$WORK/out-$n" \
    --resolver "127.0.0.1:$PORT" --no-smtp --no-progress \
    --psl-file "$WORK/sim/psl.dat" --concurrency "$CONCURRENCY" \
    2>"$WORK/log-$n" &
  timer=$!
  sleep 0.2
  pid=$(pgrep -P "$timer" | head -n 1 || true)
  : >"$WORK/rss-$n"
  while kill -0 "$timer" 2>/dev/null; do
    [[ -n $pid ]] && awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null >>"$WORK/rss-$n" || true
    sleep 1
  done
  wait "$timer"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  read -r wall user sys rss <"$WORK/time-$n"
  questions=$(grep -o '[0-9]* DNS questions' "$WORK/log-$n" | cut -d' ' -f1)
  records=$(grep -o '[0-9]* records in' "$WORK/log-$n" | cut -d' ' -f1)
  python3 - "$n" "$wall" "$user" "$sys" "$rss" "$questions" "$records" "$WORK/rss-$n" "$load" <<'PY'
import sys
n, wall, user, sys_, rss, questions, records, samples, load = sys.argv[1:]
n = int(n); wall = float(wall); cpu = float(user) + float(sys_)
s = [int(x) for x in open(samples).read().split()] or [0]
at = lambda f: s[min(len(s) - 1, int(len(s) * f))] / 1024
print(f"{n:<9d} {wall:8.1f} {n / wall:9.0f} {cpu / n * 1e6:10.1f} "
      f"{int(questions) / n:10.1f} {records:>9s} {int(rss) / 1024:10.1f} "
      f"{at(.25):9.1f} {at(.5):9.1f} {at(.75):9.1f}  {load}")
PY
done
# The simulated sector's part of the largest scan against its truth.
"$MXSCAN" dump "$WORK/out-$largest" --format jsonl | grep -v '"bulk"' >"$WORK/real.jsonl" || true
python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" \
  --results "$WORK/real.jsonl" 2>/dev/null | grep -m1 "domains,"
