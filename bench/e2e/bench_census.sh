#!/usr/bin/env bash
# What the TLS census and the post-quantum selection probe cost a scan:
# the same simulated sector scanned twice in one run by bench_e2e.sh (the
# baseline, then with --tls-census --probe-pq), and the ratios: domains/s,
# client CPU per domain, extra connections (census handshakes and
# selection probes) per TLS server address, and their client CPU each.
# Both scans are checked against the truth (bench_e2e.sh). Loopback only.
#
#   bench/e2e/bench_census.sh [DOMAINS=10000]
#
# Environment as bench_e2e.sh (SEED, CONCURRENCY, ...); PEER is off.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOMAINS=${1:-10000}
OUT=$(mktemp -d /tmp/mxscan-bench-census.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

run() {  # NAME FLAGS
  echo "== $1: bench/e2e/bench_e2e.sh $DOMAINS${2:+ with $2}"
  PEER=0 KEEP=1 SCAN_FLAGS="${SCAN_FLAGS:-} $2" bench/e2e/bench_e2e.sh "$DOMAINS" \
    | tee "$OUT/$1.txt"
  local work
  work=$(sed -n 's/^work dir kept: //p' "$OUT/$1.txt")
  cp "$work/figures.json" "$OUT/$1.json"
  grep -h "SMTP probes" "$work"/scan*.log | tail -1 >"$OUT/$1.summary" || true
  rm -rf "$work"
}
run baseline ""
run census "--tls-census --probe-pq"

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
base, census = (json.load(open(f"{out}/{n}.json")) for n in ("baseline", "census"))
def extra(name):
    text = open(f"{out}/{name}.summary").read()
    census = re.search(r"(\d+) census handshakes", text)
    pq = re.search(r"(\d+) post-quantum selection probes", text)
    probes = re.search(r"(\d+) SMTP probes", text)
    return (int(census.group(1)) if census else 0, int(pq.group(1)) if pq else 0,
            int(probes.group(1)) if probes else 0)
c_hs, pq, probes = extra("census")
b_probes = extra("baseline")[2]
servers = census["handshakes"]
print("\n| | baseline | --tls-census --probe-pq | ratio |")
print("| --- | ---: | ---: | ---: |")
rate = lambda f: f["domains"] / f["wall"]
per = lambda f: f["cpu"] / f["domains"] * 1e6
print(f"| domains/s | {rate(base):,.0f} | {rate(census):,.0f} | {rate(census) / rate(base):.2f}x |")
print(f"| client CPU per domain | {per(base):,.0f} us | {per(census):,.0f} us | {per(census) / per(base):.2f}x |")
print(f"| SMTP connections | {b_probes:,} | {probes:,} | {probes / max(b_probes, 1):.2f}x |")
print(f"| peak RSS | {base['rss']:.0f} MiB | {census['rss']:.0f} MiB | {census['rss'] / base['rss']:.2f}x |")
extra_cpu = census["cpu"] - base["cpu"]
print(f"\n{servers:,} TLS servers (address + name): {c_hs / servers:.1f} census handshakes "
      f"and {pq / servers:.2f} selection probes each; the extra client CPU "
      f"{extra_cpu:.1f} s, {extra_cpu / max(c_hs + pq, 1) * 1e6:,.0f} us per extra "
      f"connection, {extra_cpu / servers * 1e3:.1f} ms per server.")
PY
