#!/usr/bin/env bash
# Throughput and memory of `mxscan stats` over synthetic scan results
# (tools/sim:gen_results; records shaped like a scan's, ~1 KB each) at
# several sizes: records/s, CPU per record and peak RSS, which must not
# grow with the count. The peer, measured in the same run on the smallest
# size: what a user without `stats` does — `mxscan dump --format jsonl`
# piped into a Python aggregation of the same metrics.
#
#   bench/stats/bench_stats.sh [SIZES="100000 1000000"] [WORKERS=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-"100000 1000000"}
WORKERS=${2:-2}
bazel build -c opt //scanner:mxscan //tools/sim:gen_results 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
TMP=$(mktemp -d /tmp/bench_stats.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

measure() {  # LABEL RECORDS COMMAND...
  local label=$1 records=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" ||
    { cat "$TMP/err"; exit 1; }
  read -r wall user sys rss_kib <"$TMP/time"
  python3 - "$label" "$records" "$wall" "$user" "$sys" "$rss_kib" <<'PY'
import sys
label, n, wall, user, sys_, rss = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
cpu = user + sys_
print(f"| {label} | {n:,} | {wall:.2f} s | {n / wall:,.0f} | {cpu * 1e6 / n:.2f} µs | {rss / 1024:.1f} MiB |")
PY
}

echo "| command | records | wall | records/s | CPU / record | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
first=
for n in $SIZES; do
  "$BIN/tools/sim/gen_results" --out "$TMP/r$n" --records "$n" --files 4 >/dev/null
  bytes=$(du -sb "$TMP/r$n" | cut -f1)
  echo "| (result files: $((bytes / n)) bytes per record) | | | | | |"
  measure "mxscan stats --format json (--workers $WORKERS)" "$n" \
    "$BIN/scanner/mxscan" stats "$TMP/r$n" --format json --workers "$WORKERS"
  measure "mxscan stats --format json (--workers 1)" "$n" \
    "$BIN/scanner/mxscan" stats "$TMP/r$n" --format json --workers 1
  measure "mxscan stats --format html" "$n" \
    "$BIN/scanner/mxscan" stats "$TMP/r$n" --format html --workers "$WORKERS"
  if [[ -z "$first" ]]; then
    first=$n
    cat >"$TMP/peer.py" <<'PY'
import json, sys
from collections import Counter
count = Counter()
for line in sys.stdin:
    d = json.loads(line)
    sector = d.get("sector", "")
    for key in (("overall", "domains"), (sector, "domains")):
        count[key] += 1
    dmarc, spf = d.get("dmarc", {}), d.get("spf", {})
    probes = [a.get("smtp", {}) for m in d.get("mx", []) for a in m.get("addresses", [])]
    answered = [p for p in probes if p.get("connected") and 200 <= p.get("bannerCode", 0) < 300]
    facts = {
        "dmarc_reject": dmarc.get("valid") and dmarc.get("policy") == "reject",
        "spf_hardfail": spf.get("valid") and spf.get("all") == "-all",
        "starttls_all_mx": bool(answered) and all("tls" in p for p in answered),
    }
    for metric, has in facts.items():
        if has:
            count[("overall", metric)] += 1
            count[(sector, metric)] += 1
print(len(count))
PY
    measure "peer: dump --format jsonl \\| python3 (3 metrics)" "$n" \
      bash -c "'$BIN/scanner/mxscan' dump '$TMP/r$n' --format jsonl | python3 '$TMP/peer.py'"
  fi
  rm -rf "$TMP/r$n"
done
