#!/usr/bin/env bash
# Runs a real NSD on loopback for the simulated sector.
#
#   nsd_server.sh start DIR PORT ZONE ZONEFILE   # returns once NSD answers
#   nsd_server.sh start DIR PORT --zones ZONES.TXT
#   nsd_server.sh stop DIR
#
# ZONES.TXT lists one "zone zonefile" per line (blank lines and # comments
# skipped); relative zone file paths are taken from ZONES.TXT's folder
# (gen_sector.py writes such a file). NSD answers from the closest zone it
# serves, so a parent and its children can be served together.
#
# `start` returns once every zone answers its SOA: the first asked with
# drill (wait_ready), the others all at once (zones_ready.py).
#
# Environment: NSD_WAIT_SECONDS (see wait_ready; the other zones get as
# long again), NSD_SERVERS (worker processes, default 1), NSD_BUFFER_BYTES
# (socket buffers, default 4 MiB).
#
# Everything NSD writes lives under DIR, so it also runs as an unprivileged
# user or inside a Bazel sandbox whose root file system is read-only.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  echo "usage: $0 start DIR PORT ZONE ZONEFILE | start DIR PORT --zones ZONES.TXT | stop DIR" >&2
  exit 2
}

# Waits for `drill` to get an answer for ZONE's SOA: up to ~10 s, or
# NSD_WAIT_SECONDS (large zones take a while to load). Gives up at once if
# NSD has exited.
wait_ready() {
  local dir=$1 port=$2 zone=$3 i pid
  for ((i = 0; i < ${NSD_WAIT_SECONDS:-10} * 10; i++)); do
    if drill -p "$port" @127.0.0.1 SOA "$zone" 2>/dev/null |
        grep -q 'rcode: NOERROR'; then
      return 0
    fi
    pid=$(cat "$dir/nsd.pid" 2>/dev/null || true)
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 0.1
  done
  return 1
}

# The absolute path of FILE (a relative FILE is taken from folder BASE,
# itself absolute) in the variable REPLY: no subshell, as a list of 16,000
# zones calls it 16,000 times.
absolute() {
  local base=$1 file=$2
  [[ "$file" == /* ]] || file="$base/$file"
  REPLY=$file
}

start() {
  local dir port zone zonefile base i
  local -a zones=() files=()
  dir=$(cd "$1" && pwd)
  port=$2
  if [[ "$3" == --zones ]]; then
    base=$(cd "$(dirname "$4")" && pwd)
    while read -r zone zonefile _ || [[ -n "$zone" ]]; do
      [[ -z "$zone" || "$zone" == \#* ]] && continue
      if [[ -z "$zonefile" ]]; then
        echo "nsd_server.sh: $4: no zone file for $zone" >&2
        return 2
      fi
      zones+=("$zone")
      absolute "$base" "$zonefile"
      files+=("$REPLY")
    done <"$4"
    if [[ ${#zones[@]} -eq 0 ]]; then
      echo "nsd_server.sh: $4 lists no zone" >&2
      return 2
    fi
  else
    zones=("$3")
    absolute "$PWD" "$4"
    files=("$REPLY")
  fi
  mkdir -p "$dir/xfr"
  cat >"$dir/nsd.conf" <<EOF
server:
  # Loopback only, one explicit port: tests pick a free one.
  ip-address: 127.0.0.1@$port
  # One server process: benchmarks measure one NSD worker, like the peers'
  # (NSD_SERVERS=N: N workers, each with its own socket).
  server-count: ${NSD_SERVERS:-1}
  reuseport: $([[ ${NSD_SERVERS:-1} -gt 1 ]] && echo yes || echo no)
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
  # when a scanner bursts tens of thousands of queries (NSD_BUFFER_BYTES:
  # another size; as root NSD may go past net.core.rmem_max).
  receive-buffer-size: ${NSD_BUFFER_BYTES:-4194304}
  send-buffer-size: ${NSD_BUFFER_BYTES:-4194304}
  # Startup and errors only; no per-query logging.
  verbosity: 1
  # Never write the zone back over the generator's file.
  zonefiles-write: 0

remote-control:
  control-enable: no
EOF
  for ((i = 0; i < ${#zones[@]}; i++)); do
    printf '\nzone:\n  name: "%s"\n  zonefile: "%s"\n' "${zones[i]}" "${files[i]}" \
      >>"$dir/nsd.conf"
  done
  rm -f "$dir/nsd.log"
  # A pidfile left by an NSD that is gone would fool wait_ready.
  if [[ -f "$dir/nsd.pid" ]] && ! kill -0 "$(cat "$dir/nsd.pid")" 2>/dev/null; then
    rm -f "$dir/nsd.pid"
  fi
  if ! nsd -c "$dir/nsd.conf"; then
    echo "nsd_server.sh: NSD did not start on 127.0.0.1@$port" >&2
    if [[ -f "$dir/nsd.log" ]]; then cat "$dir/nsd.log" >&2; fi
    stop "$dir"
    return 1
  fi
  if ! wait_ready "$dir" "$port" "${zones[0]}"; then
    echo "nsd_server.sh: NSD did not answer SOA ${zones[0]} on 127.0.0.1@$port" >&2
    if [[ -f "$dir/nsd.log" ]]; then cat "$dir/nsd.log" >&2; fi
    stop "$dir"
    return 1
  fi
  # The other zones, all at once (NSD has read every zone file by the time
  # it answers; one that failed to load never answers).
  if ((${#zones[@]} > 1)) && ! printf '%s\n' "${zones[@]:1}" |
      python3 "$HERE/zones_ready.py" "$port" "${NSD_WAIT_SECONDS:-10}"; then
    if [[ -f "$dir/nsd.log" ]]; then grep -iE "error|warning" "$dir/nsd.log" | head -n 20 >&2; fi
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
