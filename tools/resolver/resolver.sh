#!/usr/bin/env bash
# Starts and stops the scan's validating resolver (Unbound) on loopback.
#
#   resolver.sh start DIR PORT    # returns once Unbound answers
#   resolver.sh stop DIR
#
# Environment:
#   RESOLVER_THREADS   Unbound threads (default: one per core)
#   TRUST_ANCHOR       a DNSKEY/DS trust anchor file (default: Debian's root
#                      key, /usr/share/dns/root.key, from dns-root-data);
#                      "none" for no validation at all
#   FORWARD            HOST@PORT: send every question there (an authoritative
#                      server of a simulated sector) instead of recursing
#                      from the root
#   RATELIMIT          queries per second to one zone (default 1000)
#
# Everything Unbound writes lives under DIR. Only loopback is listened on.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local threads=${RESOLVER_THREADS:-$(nproc)}
  local slabs=1
  while ((slabs < threads)); do slabs=$((slabs * 2)); done
  local anchor=${TRUST_ANCHOR:-/usr/share/dns/root.key}
  local anchor_line="# no trust anchor: answers are never validated"
  if [[ $anchor != none ]]; then
    [[ -r $anchor ]] || { echo "resolver.sh: cannot read trust anchor $anchor" >&2; exit 1; }
    cp "$anchor" "$dir/trust-anchor"
    anchor_line="trust-anchor-file: \"$dir/trust-anchor\""
  fi
  local forward=""
  if [[ -n ${FORWARD:-} ]]; then
    # A simulated sector lives on loopback, and the tests' zones under the
    # special-use test. (RFC 6761), which Unbound answers NXDOMAIN itself.
    forward=$'server:\n    do-not-query-localhost: no\n    local-zone: "test." nodefault\nforward-zone:\n    name: "."\n    forward-addr: '"$FORWARD"
  fi
  local do_ip6=yes
  [[ -n ${FORWARD:-} ]] && do_ip6=no
  sed -e "s|@PORT@|$port|" -e "s|@DIR@|$dir|g" -e "s|@THREADS@|$threads|" \
      -e "s|@SLABS@|$slabs|g" -e "s|@RATELIMIT@|${RATELIMIT:-1000}|" \
      -e "s|@DO_IP6@|$do_ip6|" -e "s|@TRUST_ANCHOR_LINE@|$anchor_line|" \
      "$HERE/unbound.conf.in" >"$dir/unbound.conf.tmp"
  python3 - "$dir/unbound.conf.tmp" "$forward" >"$dir/unbound.conf" <<'PY'
import sys
print(open(sys.argv[1]).read().replace("@FORWARD@", sys.argv[2]))
PY
  rm -f "$dir/unbound.conf.tmp"
  unbound-checkconf "$dir/unbound.conf" >/dev/null
  unbound -c "$dir/unbound.conf"
  local i
  for ((i = 0; i < 100; i++)); do
    # localhost is answered by Unbound itself: nothing is sent upstream.
    if drill -p "$port" @127.0.0.1 localhost A 2>/dev/null | grep -q 'rcode: NOERROR'; then
      return 0
    fi
    sleep 0.1
  done
  echo "resolver.sh: Unbound did not answer on 127.0.0.1:$port (see $dir/unbound.log)" >&2
  exit 1
}

stop() {
  local dir=$1 pid
  pid=$(cat "$dir/unbound.pid" 2>/dev/null || true)
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) [[ $# -eq 3 ]] || usage; start "$2" "$3" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  *) usage ;;
esac
