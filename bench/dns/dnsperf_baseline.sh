#!/usr/bin/env bash
# The server's ceiling: dnsperf sends every name of ZONE_DIR/names-A.txt once
# to an already running server (e.g. tools/sim/nsd_server.sh) and we print
# one JSON line, the baseline that mxscan's `dns` throughput is read against:
#
#   dnsperf_baseline.sh ZONE_DIR PORT CONCURRENCY
#   {"tool":"dnsperf","queries":..,"completed":..,"lost":..,"qps":..,"wall_s":..}
#
# dnsperf's own report goes to stderr. Loopback only.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 ZONE_DIR PORT CONCURRENCY" >&2
  exit 2
fi
zone_dir=$1 port=$2 concurrency=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dnsperf reads "name type" lines.
awk 'NF { print $1, "A" }' "$zone_dir/names-A.txt" >"$tmp/queries"

# -n 1: each name once. -b 4096: 4 MiB socket buffers (KiB units); with the
# default buffers replies are dropped in bursts and count as lost.
dnsperf -s 127.0.0.1 -p "$port" -d "$tmp/queries" -n 1 -q "$concurrency" \
  -b 4096 >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; exit 1; }
# Keep the report, less one line per timed-out query.
grep -v '^\[Timeout\]' "$tmp/out" >&2

awk '
  /Queries sent:/       { sent = $3 }
  /Queries completed:/  { completed = $3 }
  /Queries lost:/       { lost = $3 }
  /Queries per second:/ { qps = $4 }
  /Run time \(s\):/     { wall = $4 }
  END {
    if (sent == "" || qps == "") { print "dnsperf_baseline.sh: no statistics in dnsperf output" > "/dev/stderr"; exit 1 }
    printf "{\"tool\":\"dnsperf\",\"queries\":%d,\"completed\":%d,\"lost\":%d,\"qps\":%.1f,\"wall_s\":%.3f}\n",
      sent, completed, lost, qps, wall
  }' "$tmp/out"
