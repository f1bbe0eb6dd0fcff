#!/usr/bin/env bash
# Runs a real NSD on loopback for the simulated sector.
#
#   nsd_server.sh start DIR PORT ZONE ZONEFILE   # returns once NSD answers
#   nsd_server.sh stop DIR
#
# Everything NSD writes lives under DIR, so it also runs as an unprivileged
# user or inside a Bazel sandbox whose root file system is read-only.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT ZONE ZONEFILE | stop DIR" >&2
  exit 2
}

# Waits up to ~10 s for `drill` to get an answer for ZONE's SOA.
wait_ready() {
  local port=$1 zone=$2 i
  for ((i = 0; i < 100; i++)); do
    if drill -p "$port" @127.0.0.1 SOA "$zone" 2>/dev/null |
        grep -q 'rcode: NOERROR'; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

start() {
  local dir port zone zonefile
  dir=$(cd "$1" && pwd)
  port=$2
  zone=$3
  zonefile=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
  mkdir -p "$dir/xfr"
  cat >"$dir/nsd.conf" <<EOF
server:
  # Loopback only, one explicit port: tests pick a free one.
  ip-address: 127.0.0.1@$port
  # One server process: benchmarks measure one NSD worker, like the peers'.
  server-count: 1
  # Run as whoever starts us, never chroot, keep no compiled database: all
  # state (pid, logs, zone list, xfrd state, transfer scratch) is under DIR.
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$dir"
  pidfile: "$dir/nsd.pid"
  logfile: "$dir/nsd.log"
  zonelistfile: "$dir/zone.list"
  xfrdfile: "$dir/xfrd.state"
  xfrdir: "$dir/xfr"
  # Response-rate limiting would throttle the NXDOMAIN share of a bulk scan.
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
  # 4 MiB socket buffers (NSD's names for SO_RCVBUF/SO_SNDBUF): no drops
  # when a scanner bursts tens of thousands of queries.
  receive-buffer-size: 4194304
  send-buffer-size: 4194304
  # Startup and errors only; no per-query logging.
  verbosity: 1
  # Never write the zone back over the generator's file.
  zonefiles-write: 0

remote-control:
  control-enable: no

zone:
  name: "$zone"
  zonefile: "$zonefile"
EOF
  rm -f "$dir/nsd.log"
  if ! nsd -c "$dir/nsd.conf" || ! wait_ready "$port" "$zone"; then
    echo "nsd_server.sh: NSD did not answer SOA $zone on 127.0.0.1@$port" >&2
    if [[ -f "$dir/nsd.log" ]]; then cat "$dir/nsd.log" >&2; fi
    stop "$dir"
    return 1
  fi
}

stop() {
  local dir pid i
  dir=$(cd "$1" && pwd)
  [[ -f "$dir/nsd.pid" ]] || return 0
  pid=$(cat "$dir/nsd.pid")
  # Only our NSD: a stale pidfile's pid may belong to another process now.
  if [[ -n "$pid" ]] && grep -qa "$dir/nsd.conf" "/proc/$pid/cmdline" 2>/dev/null &&
      kill "$pid" 2>/dev/null; then
    # NSD exits within a second on SIGTERM; wait at most ~10 s.
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "nsd_server.sh: NSD $pid still running, sending SIGKILL" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/nsd.pid"
}

case "${1:-}" in
  start) [[ $# -eq 5 ]] || usage; start "$2" "$3" "$4" "$5" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  *) usage ;;
esac
