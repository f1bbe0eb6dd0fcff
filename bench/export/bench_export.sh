#!/usr/bin/env bash
# Throughput and size of `mxscan export` into SQLite and PostgreSQL over a
# synthetic scan (tools/sim:gen_results: records shaped like a scan's, with
# MX hosts, SMTP probes, TLS sessions and chains, SPF, DMARC, ...): rows/s,
# domains/s, CPU of the exporting process per row, peak RSS, and the
# database's size per domain. Two scans go into each database, the second
# into a database that already holds the first (scans side by side).
# PostgreSQL is Debian's, started by tools/db/postgres_server.sh with its
# default configuration (fsync on) on 127.0.0.1 of the same 2 cores.
#
#   bench/export/bench_export.sh [DOMAINS=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
bazel build -c opt //scanner:mxscan //tools/sim:gen_results 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
TMP=$(mktemp -d /tmp/bench_export.XXXXXX)
cleanup() {
  tools/db/postgres_server.sh stop "$TMP/pg" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
# Copies: other builds may replace bazel-bin's files while this runs.
cp "$BIN/scanner/mxscan" "$BIN/tools/sim/gen_results" "$TMP/"

"$TMP/gen_results" --out "$TMP/week1" --records "$N" --seed 1 --files 2 >/dev/null
"$TMP/gen_results" --out "$TMP/week2" --records "$N" --seed 1 --files 2 --changed 20 >/dev/null
echo "result files: $(( $(du -sb "$TMP/week1" | cut -f1) / N )) bytes per domain"
PG_URL=$(tools/db/postgres_server.sh start "$TMP/pg")

pg_size() { psql "$PG_URL" -Atc "SELECT pg_database_size(current_database())"; }

measure() {  # LABEL URL SCAN DIR SIZE_BEFORE
  local label=$1 url=$2 scan=$3 dir=$4 before=$5
  /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" \
    "$TMP/mxscan" export "$dir" --to "$url" --scan-name "$scan" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; exit 1; }
  local rows after
  rows=$(sed -n 's/.*certificates, \([0-9]*\) rows in.*/\1/p' "$TMP/err")
  if [[ $url == sqlite:* ]]; then
    after=$(stat -c %s "${url#sqlite:}")
  else
    after=$(pg_size)
  fi
  read -r wall user sys rss_kib <"$TMP/time"
  python3 - "$label" "$N" "$rows" "$wall" "$user" "$sys" "$rss_kib" "$before" "$after" <<'PY'
import sys
label = sys.argv[1]
n, rows = int(sys.argv[2]), int(sys.argv[3])
wall, user, sys_, rss = map(float, sys.argv[4:8])
before, after = int(sys.argv[8]), int(sys.argv[9])
print(f"| {label} | {n:,} | {rows:,} | {wall:.1f} s | {rows / wall:,.0f} | "
      f"{n / wall:,.0f} | {(user + sys_) * 1e6 / rows:.2f} µs | "
      f"{rss / 1024:.0f} MiB | {(after - before) / n:,.0f} B |")
PY
  echo "$after" >"$TMP/size"
}

echo
echo "| export | domains | rows | wall | rows/s | domains/s | client CPU / row | peak RSS | database growth / domain |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
measure "SQLite, first scan" "sqlite:$TMP/export.db" week1 "$TMP/week1" 0
measure "SQLite, second scan" "sqlite:$TMP/export.db" week2 "$TMP/week2" "$(cat "$TMP/size")"
base=$(pg_size)
measure "PostgreSQL, first scan" "$PG_URL" week1 "$TMP/week1" "$base"
measure "PostgreSQL, second scan" "$PG_URL" week2 "$TMP/week2" "$(cat "$TMP/size")"
echo
uptime
