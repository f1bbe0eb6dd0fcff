#!/usr/bin/env bash
# Starts and stops the servers of a generated simulated sector, on
# loopback: NSD with its zones and the project's SMTP+HTTPS farm with its
# mail-server behaviours and MTA-STS policies.
#
#   tools/sim/sector_servers.sh start WORKDIR
#   tools/sim/sector_servers.sh stop WORKDIR
#
# WORKDIR/sim is the output of gen_sector.py run with
# --mta-sts-dir WORKDIR/sim/mta-sts. `start` writes WORKDIR/servers.env,
# for `source`: DNS_PORT (NSD), RESOLVER_PORT (where a scan sends its
# questions), TRUST_ANCHOR_ZONE (for mxscan scan --trust-anchor-zone),
# SMTP_PORT, HTTPS_PORT, CA_FILE (the farm's root, for mxscan --ca-file),
# PSL_FILE, FARM_PID (FARM_PIDS: every farm's), SIGN_SECONDS. The farm
# binary is $SMTP_FARM, else the Bazel-built one. NSD_WAIT_SECONDS as
# nsd_server.sh. FARM_SESSION_LOG=1: each farm logs every SMTP connection
# opened and closed to WORKDIR/farm/sessions*.log (smtp_farm
# --session-log), what the providers see of a scan.
#
# The farm opens a socket per MX address: a sector with more addresses
# than a process may open (ulimit -Hn, less FARM_SPARE_FDS (1000, at most
# a quarter) for the connections) gets several farms on one SMTP port,
# each serving a part (split_farm.py); the first serves the MTA-STS
# policies, CA_FILE holds every farm's root.
#
# A sector generated with --dnssec-share (WORKDIR/sim/dnssec.json) is
# signed first (sign_sector.py into WORKDIR/signed), NSD serves the signed
# zones, and an Unbound (tools/resolver/resolver.sh, into WORKDIR/unbound)
# validates against the sim's own root and forwards to NSD: RESOLVER_PORT
# is Unbound's. Otherwise RESOLVER_PORT is NSD's. The farm uses the fixed
# keys of tools/sim/farm_keys, which the generator's TLSA records match.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action=${1:-}
work=${2:-}
if [[ -z $action || -z $work ]]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi

# Starts farm INDEX on behaviours file FILE and SMTP port PORT (0: a free
# one) and waits until it listens; appends its pid to farm_pids. Farm 0
# serves the policies on 127.0.0.1 and writes farm/ready, ca.pem and
# farm.log; farm I > 0 the same files with the suffix -I, its (unused)
# HTTPS port on 127.0.0.(I+1).
start_farm() {
  local index=$1 behaviours=$2 port=$3 suffix="" pid
  local -a https=()
  if ((index > 0)); then
    suffix=-$index
    https=(--https-address "127.0.0.$((index + 1))")
  fi
  rm -f "$work/farm/ready$suffix"
  "$farm" --behaviours "$behaviours" --mta-sts "$work/sim/mta-sts" \
    --smtp-port "$port" --https-port 0 --ca-out "$work/farm/ca$suffix.pem" \
    --key-dir "$here/farm_keys" ${https[@]+"${https[@]}"} \
    ${FARM_SESSION_LOG:+--session-log "$work/farm/sessions$suffix.log"} \
    --ready-file "$work/farm/ready$suffix" >"$work/farm/farm$suffix.log" 2>&1 &
  pid=$!
  farm_pids+=("$pid")
  for _ in $(seq 1 600); do
    [[ -s $work/farm/ready$suffix ]] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "sector_servers: smtp_farm exited" >&2
      cat "$work/farm/farm$suffix.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "sector_servers: smtp_farm not ready after 60 s" >&2
  return 1
}

# Stops the farms of FARM_PIDS (a space-separated list).
stop_farms() {
  local pid
  for pid in $1; do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

case $action in
  start)
    [[ -f $work/sim/zones.txt ]] || { echo "sector_servers: no $work/sim (run gen_sector.py)" >&2; exit 1; }
    farm=${SMTP_FARM:-}
    for candidate in "${RUNFILES_DIR:-/nonexistent}/mxscan/tools/farm/smtp_farm" \
                     "$here/../farm/smtp_farm" "$here/../../bazel-bin/tools/farm/smtp_farm"; do
      [[ -z $farm && -x $candidate ]] && farm=$candidate
    done
    [[ -n $farm ]] || { echo "sector_servers: smtp_farm not found (bazel build //tools/farm:smtp_farm)" >&2; exit 1; }
    mkdir -p "$work/nsd" "$work/farm"
    zones=$work/sim/zones.txt
    sign_seconds=0
    if [[ -f $work/sim/dnssec.json ]]; then
      # "N of M zones signed in S s": the signer times itself.
      signed=$(python3 "$here/sign_sector.py" --sim "$work/sim" --out "$work/signed")
      echo "$signed" >&2
      sign_seconds=$(sed -n 's/.* signed in \([0-9.]*\) s$/\1/p' <<<"$signed")
      zones=$work/signed/zones.txt
    fi
    dns_port=$(python3 "$here/free_port.py")
    "$here/nsd_server.sh" start "$work/nsd" "$dns_port" --zones "$zones" >/dev/null
    resolver_port=$dns_port
    anchor_zone=.
    if [[ -f $work/sim/dnssec.json ]]; then
      resolver_port=$(python3 "$here/free_port.py")
      # The sim's authority is loopback: no rate limit is needed there.
      if ! FORWARD="127.0.0.1@$dns_port" TRUST_ANCHOR="$work/signed/trust-anchor" \
          RATELIMIT=0 "$here/../resolver/resolver.sh" start "$work/unbound" "$resolver_port"; then
        "$here/nsd_server.sh" stop "$work/nsd" >/dev/null 2>&1 || true
        exit 1
      fi
      # The plan's top zone: sim, or the root for real names (--names).
      anchor_zone=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["anchor"])' \
        "$work/sim/dnssec.json")
    fi
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    fd_limit=$(ulimit -Hn)
    [[ $fd_limit == unlimited ]] && fd_limit=100000000
    # Room for the farm's connections: FARM_SPARE_FDS, at most a quarter.
    spare=${FARM_SPARE_FDS:-1000}
    ((spare <= fd_limit / 4)) || spare=$((fd_limit / 4))
    max_listeners=$((fd_limit - spare))
    mapfile -t behaviours < <(python3 "$here/split_farm.py" \
      "$work/sim/addresses.json" "$work/farm" "$max_listeners" || true)
    if ((${#behaviours[@]} == 0)); then
      echo "sector_servers: split_farm.py failed" >&2
      "$0" stop "$work" >/dev/null 2>&1 || true
      exit 1
    fi
    farm_pids=()
    smtp_port=0
    for i in "${!behaviours[@]}"; do
      if ! start_farm "$i" "${behaviours[i]}" "$smtp_port"; then
        stop_farms "${farm_pids[*]}"
        "$0" stop "$work" >/dev/null 2>&1 || true
        exit 1
      fi
      smtp_port=$(awk '$1 == "smtp_port" {print $2}' "$work/farm/ready")
    done
    ca_file=$work/farm/ca.pem
    if ((${#behaviours[@]} > 1)); then
      echo "sector_servers: ${#behaviours[@]} farms (more MX addresses than one process may listen on)" >&2
      ca_file=$work/farm/ca-bundle.pem
      cat "$work/farm/ca.pem" >"$ca_file"
      for ((i = 1; i < ${#behaviours[@]}; i++)); do
        cat "$work/farm/ca-$i.pem" >>"$ca_file"
      done
    fi
    cat >"$work/servers.env" <<ENV
DNS_PORT=$dns_port
RESOLVER_PORT=$resolver_port
TRUST_ANCHOR_ZONE=$anchor_zone
SIGN_SECONDS=$sign_seconds
SMTP_PORT=$smtp_port
HTTPS_PORT=$(awk '$1 == "https_port" {print $2}' "$work/farm/ready")
CA_FILE=$ca_file
PSL_FILE=$work/sim/psl.dat
FARM_PID=${farm_pids[0]}
FARM_PIDS="${farm_pids[*]}"
ENV
    ;;
  stop)
    if [[ -f $work/servers.env ]]; then
      pids=$(sed -n 's/^FARM_PIDS="\(.*\)"$/\1/p' "$work/servers.env")
      [[ -n $pids ]] || pids=$(sed -n 's/^FARM_PID=//p' "$work/servers.env")
      stop_farms "$pids"
      rm -f "$work/servers.env"
    fi
    "$here/nsd_server.sh" stop "$work/nsd" >/dev/null 2>&1 || true
    "$here/../resolver/resolver.sh" stop "$work/unbound" >/dev/null 2>&1 || true
    ;;
  *)
    echo "sector_servers: start or stop" >&2
    exit 2
    ;;
esac
